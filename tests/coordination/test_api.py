"""The case lead API with the five callers: the list and the lead scoped by jurisdiction (404 for another's), creating
with keys resolved among what the caller may see (400 otherwise), the steps, and the bundle download."""
import pytest

from apps.coordination.models import Lead, Status
from tests.personas import five_callers

pytestmark = pytest.mark.django_db


@pytest.fixture
def callers(bureau):
    return five_callers(role="dispatcher", organization=bureau)


@pytest.fixture
def lead_id(api_as, callers, bureau, market, task, photo):
    response = api_as(callers.insider).post("/api/coordination/leads/new/", {
        "organization": bureau.pk, "department": market.pk, "title": "API移送", "facts": "无照经营", "task": task.pk}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["actions"] == ["document", "send"] and [e["id"] for e in body["evidence"]] == [photo.pk]
    return body["id"]


def test_the_list_and_the_lead_with_the_five_callers(api_as, callers, lead_id):
    expected = {"insider": (True, 200), "outsider": (False, 404), "citizen": (False, 404), "merchant": (False, 404), "anonymous": (None, 401)}
    for name, user in callers.items():
        client = api_as(user)
        listing, detail = client.get("/api/coordination/leads/"), client.get(f"/api/coordination/leads/{lead_id}/")
        seen, status = expected[name]
        if seen is None:
            assert (listing.status_code, detail.status_code) == (401, 401)
            continue
        assert listing.status_code == 200 and (lead_id in [r["id"] for r in listing.json()["results"]]) is seen, name
        assert detail.status_code == status, name
        if name != "insider":
            assert client.post(f"/api/coordination/leads/{lead_id}/send/").status_code == 404, name


def test_the_steps_through_the_api_and_the_bundle(api_as, callers, lead_id, liaison):
    insider, department = api_as(callers.insider), api_as(liaison)
    assert insider.get(f"/api/coordination/leads/{lead_id}/bundle/").status_code == 404
    body = insider.post(f"/api/coordination/leads/{lead_id}/send/").json()
    assert body["status"] == Status.SENT and body["bundle"]["sha256"]
    assert department.get(f"/api/coordination/leads/{lead_id}/").json()["actions"] == ["acknowledge"]
    assert department.get(f"/api/coordination/leads/{lead_id}/bundle/").status_code == 200
    assert department.post(f"/api/coordination/leads/{lead_id}/acknowledge/", {}, format="json").status_code == 200
    refused = department.post(f"/api/coordination/leads/{lead_id}/answer/", {"accepted": False}, format="json")
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "reason_required"
    assert department.post(f"/api/coordination/leads/{lead_id}/answer/", {"accepted": True}, format="json").json()["status"] == Status.ACCEPTED
    assert department.post(f"/api/coordination/leads/{lead_id}/feedback/", {"result": "已立案"}, format="json").status_code == 200
    assert department.post(f"/api/coordination/leads/{lead_id}/close/", {}, format="json").status_code == 403
    assert insider.post(f"/api/coordination/leads/{lead_id}/close/", {}, format="json").json()["status"] == Status.CLOSED


def test_keys_of_another_district_answer_like_keys_that_do_not_exist(api_as, callers, bureau, market, haidian_place):
    from apps.gbcp.models import Organization

    haidian_bureau = Organization.objects.get(name="海淀区城市管理综合行政执法局")
    before = Lead.objects.count()
    for organization in (haidian_bureau.pk, 999999):
        response = api_as(callers.insider).post("/api/coordination/leads/register/", {
            "organization": organization, "department": market.pk, "title": "越区", "facts": "x"}, format="json")
        assert response.status_code == 400 and "organization" in response.json()["error"]["details"]
    assert Lead.objects.count() == before


def test_registering_and_accepting_a_lead_taken_in(api_as, callers, bureau, market):
    client = api_as(callers.insider)
    created = client.post("/api/coordination/leads/register/", {"organization": bureau.pk, "department": market.pk, "title": "移入",
                                                                 "facts": "占道", "external_ref": "东市监移〔2026〕9号"}, format="json")
    assert created.status_code == 201 and created.json()["actions"] == ["accept_in", "refuse_in"]
    lead_id = created.json()["id"]
    assert client.post(f"/api/coordination/leads/{lead_id}/accept-in/", {"outcome": "nothing"}, format="json").status_code == 400
    body = client.post(f"/api/coordination/leads/{lead_id}/accept-in/", {"outcome": "task"}, format="json").json()
    assert body["status"] == Status.ACCEPTED and body["task"]["number"]
