"""A notification id a client names resolves among the caller's own notifications: for each of the five callers,
"not yours" answers exactly like "not there" (the API's 404, the WebSocket's not_found), and nothing is marked read."""
import pytest
import pytest_asyncio
from asgiref.sync import sync_to_async

from apps.accounts.models import Role
from apps.realtime.events import publish
from apps.realtime.models import Notification
from tests.personas import five_callers
from tests.realtime.test_consumer import connect, make_user

MISSING = 987654321


def callers_with_a_notification():
    """The five callers around a district dispatcher (the insider), who owns one unread notification."""
    from apps.gbcp.models import Organization

    office = Organization.objects.filter(region__code="110101", kind=Organization.Kind.ENFORCEMENT_TEAM).order_by("pk").first()
    callers = five_callers(role=Role.DISPATCHER, organization=office)
    [notification] = publish(event="task.new", payload={"task": 1}, users=[callers.insider], title="新任务")
    return callers, notification


@pytest.mark.django_db
def test_marking_a_notification_read_answers_like_a_missing_one_for_everyone_but_its_recipient(api_as):
    callers, notification = callers_with_a_notification()
    for name, user in callers.others():
        client = api_as(user)
        theirs = client.post(f"/api/realtime/notifications/{notification.pk}/read/")
        missing = client.post(f"/api/realtime/notifications/{MISSING}/read/")
        assert theirs.status_code == {"anonymous": 401}.get(name, 404), name
        assert (theirs.status_code, theirs.json()) == (missing.status_code, missing.json()), name
        assert not Notification.objects.get(pk=notification.pk).is_read
    assert api_as(callers.insider).post(f"/api/realtime/notifications/{notification.pk}/read/").status_code == 200


@pytest.mark.django_db
def test_the_list_holds_only_the_callers_own_notifications(api_as):
    callers, notification = callers_with_a_notification()
    for name, user in callers.items():
        response = api_as(user).get("/api/realtime/notifications/")
        if name == "anonymous":
            assert response.status_code == 401
            continue
        assert ([n["id"] for n in response.json()["results"]] == [notification.pk]) is (name == "insider"), name


@pytest_asyncio.fixture(autouse=True)
async def close_thread_connections():
    yield
    from django.db import connections

    await sync_to_async(connections.close_all)()


def small_world_callers():
    """Transactional tests start from an empty database: two district offices, a business, the five callers."""
    from apps.gbcp import services as gbcp_services
    from apps.gbcp.validators import uscc_check_char
    from tests.personas import Personas, user_with

    insider, outsider = make_user("ws_scope_in", "110101", "东城区"), make_user("ws_scope_out", "110108", "海淀区")
    first17 = "91110101MA0000001"
    business = gbcp_services.entity_create(user=None, name="测试餐馆", uscc=first17 + uscc_check_char(first17))
    callers = Personas(insider=insider, outsider=outsider, citizen=user_with(name="ws-citizen"), merchant=user_with(entity=business, name="ws-merchant"))
    [notification] = publish(event="task.new", payload={"task": 1}, users=[insider], title="新任务")
    return callers, notification


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_over_the_websocket_another_users_notification_is_answered_like_a_missing_one():
    callers, notification = await sync_to_async(small_world_callers)()
    for name, user in callers.others():
        communicator, connected = await connect(user)
        if name == "anonymous":
            assert not connected
            continue
        await communicator.receive_json_from()
        await communicator.send_json_to({"action": "mark_read", "id": notification.pk})
        theirs = await communicator.receive_json_from()
        await communicator.send_json_to({"action": "mark_read", "id": MISSING})
        missing = await communicator.receive_json_from()
        await communicator.send_json_to({"action": "mark_read", "id": 10**30})  # beyond any key: still just not there
        assert theirs == missing == await communicator.receive_json_from() == {"type": "error", "code": "not_found"}, name
        await communicator.disconnect()
    assert not await sync_to_async(lambda: Notification.objects.get(pk=notification.pk).is_read)()
