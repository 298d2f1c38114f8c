"""The joint operation API with the five callers: planning with keys resolved among what the caller may see (400
otherwise), the list and the operation scoped by jurisdiction and participation (404 for another's), the steps."""
import datetime as dt

import pytest
from django.utils import timezone

from apps.accounts.models import User
from apps.coordination.models import JointOperation, OperationStatus
from apps.gbcp import services as gbcp_services
from apps.gbcp.models import Category
from tests.personas import five_callers

pytestmark = pytest.mark.django_db


@pytest.fixture
def callers(squad):
    return five_callers(role="squad_leader", organization=squad)


@pytest.fixture
def duty(db):
    return Category.objects.filter(is_active=True).exclude(deadline_unit="").order_by("code").first()


@pytest.fixture
def officer(db):
    return User.objects.get(username="dhm_officer1")


@pytest.fixture
def plan(squad, market, duty, officer):
    gbcp_services.organization_upsert(user=None, name=market.name, kind=market.kind, level=market.level, region=market.region, duties=[duty])
    now = timezone.now()
    return {"organization": squad.pk, "title": "API联合整治", "purpose": "整治占道经营", "region": squad.region.code,
            "starts_at": (now - dt.timedelta(hours=1)).isoformat(), "ends_at": (now + dt.timedelta(hours=2)).isoformat(),
            "departments": [{"department": market.pk, "duties": [duty.pk]}], "participants": [officer.pk]}


@pytest.fixture
def operation_id(api_as, callers, plan):
    response = api_as(callers.insider).post("/api/coordination/operations/new/", plan, format="json")
    assert response.status_code == 201, response.json()
    assert set(response.json()["actions"]) == {"cancel"}
    return response.json()["id"]


def test_the_list_and_the_operation_with_the_five_callers(api_as, callers, operation_id):
    expected = {"insider": (True, 200), "outsider": (False, 404), "citizen": (False, 404), "merchant": (False, 404), "anonymous": (None, 401)}
    for name, user in callers.items():
        client = api_as(user)
        listing, detail = client.get("/api/coordination/operations/"), client.get(f"/api/coordination/operations/{operation_id}/")
        seen, status = expected[name]
        if seen is None:
            assert (listing.status_code, detail.status_code) == (401, 401)
            continue
        assert listing.status_code == 200 and (operation_id in [r["id"] for r in listing.json()["results"]]) is seen, name
        assert detail.status_code == status, name
        if name != "insider":
            assert client.post(f"/api/coordination/operations/{operation_id}/cancel/", {"reason": "x"}, format="json").status_code == 404, name
    assert JointOperation.objects.get(pk=operation_id).status == OperationStatus.PLANNED


def test_keys_of_another_district_answer_as_missing_and_nothing_is_made(api_as, callers, plan):
    before, outsider = JointOperation.objects.count(), api_as(callers.outsider)
    response = outsider.post("/api/coordination/operations/new/", plan, format="json")
    assert response.status_code == 400 and response.json()["error"]["code"]
    assert api_as(callers.insider).post("/api/coordination/operations/new/", {**plan, "region": "110108"}, format="json").status_code == 400
    bad_duty = {**plan, "departments": [{"department": plan["departments"][0]["department"], "duties": [999999]}]}
    assert api_as(callers.insider).post("/api/coordination/operations/new/", bad_duty, format="json").status_code == 400
    assert JointOperation.objects.count() == before


def test_the_steps_through_the_api(api_as, callers, operation_id, officer, duty):
    participant, planner = api_as(officer), api_as(callers.insider)
    assert set(participant.get(f"/api/coordination/operations/{operation_id}/").json()["actions"]) == {"check_in", "finding"}
    assert participant.post(f"/api/coordination/operations/{operation_id}/check-in/", {"lat": 39.915, "lng": 116.397}, format="json").status_code == 200
    again = participant.post(f"/api/coordination/operations/{operation_id}/check-in/", {}, format="json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "checked_in"
    no_category = participant.post(f"/api/coordination/operations/{operation_id}/findings/", {"outcome": "task", "description": "x"}, format="json")
    assert no_category.status_code == 400
    body = participant.post(f"/api/coordination/operations/{operation_id}/findings/",
                            {"outcome": "task", "description": "无证经营", "category": duty.pk}, format="json").json()
    assert body["findings"][0]["task"] and body["status"] == OperationStatus.UNDER_WAY
    assert participant.post(f"/api/coordination/operations/{operation_id}/report/", {"text": "x"}, format="json").status_code == 403
    body = planner.post(f"/api/coordination/operations/{operation_id}/report/", {"text": "检查12户"}, format="json").json()
    assert body["status"] == OperationStatus.REPORTED and body["report_counts"]["tasks"] == 1 and body["report_counts"]["checked_in"] == 1
    assert planner.post(f"/api/coordination/operations/{operation_id}/close/").json()["status"] == OperationStatus.CLOSED
