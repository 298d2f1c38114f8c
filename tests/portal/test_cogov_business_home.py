"""The business's home: its places, licences, inspections, rectifications, notices and a link to its credit; never the
staff menu nor any staff page (every staff-guarded URL of the URLconf answers a merchant 403 or 404)."""
import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from apps.accounts import decorators
from apps.gbcp.models import Entity
from tests.personas import user_with


def client_for(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


# The code of the function ``staff_required`` puts in front of a view (its inner ``wrapped``).
GUARD_CODE = next(c for c in decorators.staff_required.__code__.co_consts if getattr(c, "co_name", "") == "wrapped")


def _is_staff_guarded(view, depth=0) -> bool:
    """Whether ``staff_required`` wraps the view: its inner function is found through ``__wrapped__`` and the
    closures of the decorators around it (``functools.wraps`` points ``__wrapped__`` past login_required's)."""
    if view is None or depth > 8:
        return False
    if getattr(view, "__code__", None) is GUARD_CODE:
        return True
    inner = [getattr(view, "__wrapped__", None)] + [c.cell_contents for c in (getattr(view, "__closure__", None) or ())
                                                     if callable(getattr(c, "cell_contents", None))]
    return any(_is_staff_guarded(fn, depth + 1) for fn in inner if fn is not view)


def _staff_urls():
    """(name, path) of every staff-guarded page of the URLconf, path parameters filled with 1 or "x"."""
    found = []

    def walk(patterns, prefix):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern) and _is_staff_guarded(p.callback):
                route = prefix + str(p.pattern)
                path = re.sub(r"<int:[^>]+>", "1", route)
                path = re.sub(r"<(?:str|slug):[^>]+>", "x", path)
                path = re.sub(r"<[^>]+>", "x", path).lstrip("^").rstrip("$")
                found.append((p.name, "/" + path))

    walk(get_resolver().url_patterns, "")
    return found


@pytest.mark.django_db
def test_the_generic_finder_sees_the_staff_pages():
    names = {name for name, _path in _staff_urls()}
    assert {"dispatch-queue", "inspection-home", "portal-notices", "inspection-rectifications", "one-map"} <= names
    assert "portal-business-home" not in names and "inspection-self-check-home" not in names


@pytest.mark.django_db
def test_a_merchant_gets_403_or_404_on_every_staff_page(merchant):
    refused = {}
    for name, path in _staff_urls():
        status = client_for(merchant).get(path).status_code
        if status not in (403, 404, 405):
            refused[name] = (path, status)
    assert refused == {}


@pytest.mark.django_db
def test_the_home_shows_the_business_own_things_and_no_staff_menu(merchant, dhm_place):
    page = client_for(merchant).get("/report/business/")
    body = page.content.decode()
    assert page.status_code == 200 and dhm_place.name in body and merchant.entity.uscc in body
    assert "/credit/mine/" in body and "/inspection/self-check/" in body
    for staff_link in ("/dispatch/", 'href="/cases/"', "/ledger/", "/supervision/", "/report/notices/", 'href="/inspection/"'):
        assert staff_link not in body, staff_link


@pytest.mark.django_db
def test_business_b_never_sees_business_a(merchant, dhm_place, citizen):
    other = Entity.objects.exclude(pk=merchant.entity_id).order_by("pk").first()
    business_b = user_with(entity=other, name="merchant-b")
    body = client_for(business_b).get("/report/business/").content.decode()
    assert dhm_place.name not in body and merchant.entity.uscc not in body
    assert client_for(citizen).get("/report/business/").status_code == 404
    assert client_for().get("/report/business/").status_code == 302


@pytest.fixture
def merchant(db):
    from apps.accounts.models import User

    return User.objects.select_related("entity").get(username="merchant")


@pytest.fixture
def dhm_place(db, merchant):
    from django.contrib.gis.geos import Point

    from apps.gbcp import services as gbcp
    from apps.gbcp.models import Place, Region

    centre = Region.objects.get(code="110101001").boundary.buffer(-0.002).point_on_surface
    return gbcp.place_create(user=None, name="测试商户餐馆", kind=Place.Kind.RESTAURANT, space=Place.Space.PRODUCTION,
                             point=Point(centre.x, centre.y, srid=4326), operator=merchant.entity)
