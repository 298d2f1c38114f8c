"""Fixtures of patrol inspection: the demo place in 东华门街道, its officers, the merchant, answer sheets."""
import pytest


def _user(username):
    from apps.accounts.models import User

    return User.objects.get(username=username)


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
def dhm_place(db):
    """The demo restaurant in 东华门街道, operated by the demo merchant's business."""
    from apps.gbcp.models import Place

    return Place.objects.select_related("region", "operator").get(name="东华门示范餐厅")


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
