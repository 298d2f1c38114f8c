"""The supervision API with the five callers: lists and items scoped by jurisdiction, 404 for another's item, the
``actions`` of the detail, creating and every step."""
import pytest
from django.test.utils import CaptureQueriesContext
from django.db import connection

from apps.supervision import services
from apps.supervision.models import Status
from tests.personas import five_callers

pytestmark = pytest.mark.django_db


@pytest.fixture
def callers(bureau):
    return five_callers(role="supervisor", organization=bureau)


@pytest.fixture
def item(callers, squad):
    return services.item_create(user=callers.insider, title="API督办测试", body="核查", organization=squad, deadline_days=3)


def test_the_list_holds_the_item_for_the_insider_only(api_as, callers, item):
    expected = {"insider": True, "outsider": False, "citizen": False, "merchant": False}
    for name, user in callers.items():
        response = api_as(user).get("/api/supervision/items/", {"status": "open"})
        if user is None:
            assert response.status_code == 401
            continue
        assert response.status_code == 200, name
        numbers = [row["number"] for row in response.json()["results"]]
        assert (item.number in numbers) == expected[name], name


def test_the_detail_shows_actions_to_the_insider_and_is_not_found_for_the_others(api_as, callers, item):
    for name, user in callers.items():
        response = api_as(user).get(f"/api/supervision/items/{item.pk}/")
        if name == "insider":
            body = response.json()
            assert response.status_code == 200 and body["actions"] == ["dispatch"] and body["status"] == Status.SIGNED
            assert body["logs"][0]["action"] == "create" and body["subjects"]["task"] is None
        else:
            assert response.status_code == (401 if user is None else 404), name
            if user is not None:
                assert response.json()["error"]["code"] == "not_found"


def test_each_step_through_the_api_and_the_others_are_told_not_found(api_as, callers, item, squad):
    for name, user in callers.others():
        response = api_as(user).post(f"/api/supervision/items/{item.pk}/dispatch/", {}, format="json")
        assert response.status_code == (401 if user is None else 404), name
    insider = api_as(callers.insider)
    assert insider.post(f"/api/supervision/items/{item.pk}/dispatch/", {"note": "请办理"}, format="json").json()["status"] == Status.DISPATCHED
    unit = five_callers(role="squad_leader", organization=squad)
    handler = api_as(unit.insider)
    assert handler.post(f"/api/supervision/items/{item.pk}/handle/", {}, format="json").status_code == 400
    assert handler.post(f"/api/supervision/items/{item.pk}/handle/", {"result": "已整改"}, format="json").json()["status"] == Status.HANDLED
    refused = handler.post(f"/api/supervision/items/{item.pk}/approve/", {}, format="json")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    back = insider.post(f"/api/supervision/items/{item.pk}/return/", {"reason": "照片不全"}, format="json").json()
    assert back["status"] == Status.DISPATCHED and back["returns"] == 1
    handler.post(f"/api/supervision/items/{item.pk}/handle/", {"result": "已补充"}, format="json")
    insider.post(f"/api/supervision/items/{item.pk}/approve/", {}, format="json")
    again = insider.post(f"/api/supervision/items/{item.pk}/approve/", {}, format="json")
    assert again.status_code == 409 and again.json()["error"]["code"] in {"illegal_step", "step_taken"}
    insider.post(f"/api/supervision/items/{item.pk}/close/", {"feedback": "已办结"}, format="json")
    done = insider.post(f"/api/supervision/items/{item.pk}/archive/", {}, format="json").json()
    assert done["status"] == Status.ARCHIVED and done["actions"] == []


def test_creating_needs_a_unit_of_ones_own_jurisdiction(api_as, callers, squad):
    payload = {"title": "跨区督办", "organization": squad.pk, "deadline_days": 3}
    assert api_as(callers.outsider).post("/api/supervision/items/new/", payload, format="json").status_code == 400
    assert api_as(callers.citizen).post("/api/supervision/items/new/", payload, format="json").status_code == 400
    assert api_as(None).post("/api/supervision/items/new/", payload, format="json").status_code == 401
    created = api_as(callers.insider).post("/api/supervision/items/new/", payload, format="json")
    assert created.status_code == 201 and created.json()["organization"] == squad.name


def test_the_list_asks_a_fixed_number_of_queries(api_as, callers, squad):
    client = api_as(callers.insider)
    services.item_create(user=callers.insider, title="查询次数1", organization=squad)
    client.get("/api/supervision/items/")
    with CaptureQueriesContext(connection) as few:
        client.get("/api/supervision/items/")
    for n in range(3):
        services.item_create(user=callers.insider, title=f"查询次数{n + 2}", organization=squad)
    with CaptureQueriesContext(connection) as more:
        client.get("/api/supervision/items/")
    assert len(more) == len(few)
