"""The emergency API with the five callers: activation, active incidents, incident detail, CAP upload."""
import pytest
from rest_framework.test import APIClient

from apps.accounts.models import Role
from tests.emergency.conftest import cap_document
from tests.personas import five_callers

pytestmark = pytest.mark.django_db


def client_for(user):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_five_callers(plan, squad):
    callers = five_callers(role=Role.DISPATCHER, organization=squad)
    url = f"/api/emergency/plans/{plan.pk}/activate/"
    refused = {"outsider": 404, "citizen": 404, "merchant": 404, "anonymous": 401}
    for name, user in callers.others():
        assert client_for(user).post(url, {}, format="json").status_code in (refused[name], 403), name
    opened = client_for(callers.insider).post(url, {}, format="json")
    assert opened.status_code == 201, opened.content
    incident = opened.json()["id"]
    assert [e["kind"] for e in opened.json()["entries"]][:2] == ["opened", "notified"]
    assert [i["id"] for i in client_for(callers.insider).get("/api/emergency/incidents/active/").json()["results"]] == [incident]
    for name, user in callers.others():
        listed = client_for(user).get("/api/emergency/incidents/active/")
        assert listed.status_code in (401, 403) or listed.json()["results"] == [], name
        assert client_for(user).get(f"/api/emergency/incidents/{incident}/").status_code in (401, 403, 404), name


def test_upload_cap(squad):
    callers = five_callers(role=Role.LEADER, organization=squad)
    body = {"document": cap_document("rainstorm_blue").decode()}
    first = client_for(callers.insider).post("/api/emergency/alerts/", body, format="json")
    assert first.status_code == 201 and first.json()["event_type"] == "rainstorm"
    assert client_for(callers.insider).post("/api/emergency/alerts/", body, format="json").status_code == 200
    bad = client_for(callers.insider).post("/api/emergency/alerts/", {"document": "<alert/>"}, format="json")
    assert bad.status_code == 400
    for name, user in callers.others():
        if name == "outsider":
            continue  # a leader elsewhere may upload a warning too (it is matched to regions, not to the uploader)
        assert client_for(user).post("/api/emergency/alerts/", body, format="json").status_code in (401, 403), name
