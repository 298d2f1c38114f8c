"""Fixtures of credit: a 东城 business of its own (not the persona merchant's), its merchant, and after-commit effects run."""
import itertools

import pytest

_serial = itertools.count(1)


@pytest.fixture
def dongcheng(db):
    from apps.gbcp.models import Organization

    return Organization.objects.select_related("region").get(name="东城区城市管理综合行政执法局")


@pytest.fixture
def business(db):
    """A fresh business registered in 东华门街道 (110101001) operating one restaurant there, with no records yet."""
    from apps.gbcp import services as gbcp
    from apps.gbcp.models import Entity, Place, Region

    street = Region.objects.get(code="110101001")
    n = next(_serial)
    entity = Entity.objects.create(name=f"信用测试商户{n}", uscc=_uscc(n), region=street)
    centre = street.boundary.buffer(-0.002).point_on_surface
    gbcp.place_create(user=None, name=f"信用测试餐厅{n}", kind=Place.Kind.RESTAURANT, space=Place.Space.PRODUCTION, point=centre,
                      address="东华门大街1号", operator=entity)
    return Entity.objects.select_related("region").get(pk=entity.pk)


def _uscc(n) -> str:
    """A valid 18-character unified social credit code (GB 32100 check characters) from a serial."""
    from apps.gbcp.validators import is_valid_uscc, uscc_check_char

    for k in itertools.count(n * 1000):
        body = f"91110101MA{k:07d}"
        code = body + uscc_check_char(body)
        if is_valid_uscc(code):
            return code


@pytest.fixture
def restaurant(business):
    return business.places.select_related("region", "operator").get()


@pytest.fixture
def own_merchant(business):
    from tests.personas import user_with

    return user_with(entity=business, name="credit-merchant")


@pytest.fixture
def reviewer(dongcheng):
    from tests.personas import user_with

    return user_with(role="legal_reviewer", organization=dongcheng, name="credit-legal")


@pytest.fixture
def outside_reviewer(dongcheng):
    from tests.personas import organization_elsewhere, user_with

    return user_with(role="legal_reviewer", organization=organization_elsewhere(dongcheng), name="credit-legal-out")
