"""Fixtures of patrol inspection: the demo place in 东华门街道, its officers, the merchant, answer sheets."""
import pytest


def _user(username):
    from apps.accounts.models import User

    return User.objects.get(username=username)


@pytest.fixture
def district(db):
    """东城区's enforcement bureau (the personas' insiders serve here, outsiders in the same kind of bureau elsewhere)."""
    from apps.gbcp.models import Organization

    return Organization.objects.select_related("region").get(name="东城区城市管理综合行政执法局")


@pytest.fixture
def squad(db):
    """The 东华门 street squad, where ``dhm_officer1`` and ``dhm_officer2`` serve."""
    from apps.gbcp.models import Organization

    return Organization.objects.select_related("region").get(name="东华门街道综合行政执法队")


@pytest.fixture
def officer1(db):
    return _user("dhm_officer1")


@pytest.fixture
def officer2(db):
    return _user("dhm_officer2")


@pytest.fixture
def merchant(db):
    return _user("merchant")


@pytest.fixture
def zgc_officer(db):
    return _user("zgc_officer")


@pytest.fixture
def dhm_place(db, merchant):
    """A restaurant in 东华门街道 (where the officers serve), operated by the demo merchant's business."""
    from django.contrib.gis.geos import Point

    from apps.gbcp import services as gbcp
    from apps.gbcp.models import Place, Region

    centre = Region.objects.get(code="110101001").boundary.buffer(-0.002).point_on_surface
    place = gbcp.place_create(user=None, name="东华门示范餐厅", kind=Place.Kind.RESTAURANT, space=Place.Space.PRODUCTION,
                              point=Point(centre.x, centre.y, srid=4326), address="东华门大街18号", operator=merchant.entity)
    return Place.objects.select_related("region", "operator").get(pk=place.pk)


@pytest.fixture
def answers_for():
    def make(place, failed=()):
        from apps.inspection.services import checklist_for_kind

        items = list(checklist_for_kind(place.kind).items.order_by("order", "id"))
        return [{"item": i.pk, "outcome": "failed" if n in failed else "passed", "note": "门前摆摊" if n in failed else ""}
                for n, i in enumerate(items)]

    return make


@pytest.fixture
def record_with_finding(officer1, officer2, dhm_place, answers_for):
    from apps.inspection import services

    return services.inspection_record(user=officer1, place=dhm_place, co_officer=officer2, answers=answers_for(dhm_place, failed=(0,)),
                                      point=dhm_place.point)
