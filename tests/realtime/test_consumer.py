"""WebSocket delivery through Channels' communicator, with real database writes and commits."""
import pytest
import pytest_asyncio
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import transaction

from cityenforce.asgi import application


@pytest_asyncio.fixture(autouse=True)
async def close_thread_connections():
    """sync_to_async runs in a worker thread whose database connection would outlive the test."""
    yield
    from django.db import connections

    await sync_to_async(connections.close_all)()


def make_user(username, district_code, name, street_code=None):
    """Transactional tests start from an empty database, so they build their own small world."""
    from apps.accounts import services as account_services
    from apps.accounts.models import Role
    from apps.gbcp import services as gbcp_services
    from apps.gbcp.models import Organization, Region

    city = gbcp_services.region_upsert(user=None, code="110100", name="北京市", level=Region.Level.CITY)
    district = gbcp_services.region_upsert(user=None, code=district_code, name=name, level=Region.Level.DISTRICT, parent=city)
    org = gbcp_services.organization_upsert(
        user=None, name=f"{name}城管执法局", kind=Organization.Kind.ENFORCEMENT_TEAM, level=Organization.Level.DISTRICT, region=district
    )
    user = account_services.user_ensure(user=None, username=username, password="pw-123456789")
    account_services.membership_grant(user=None, member=user, organization=org, role=Role.DISPATCHER)
    return user


async def connect(user=None, token=None):
    from django.contrib.auth.models import AnonymousUser

    path = "/ws/notifications/" + (f"?token={token}" if token else "")
    communicator = WebsocketCommunicator(application, path, headers=[(b"host", b"127.0.0.1"), (b"origin", b"http://127.0.0.1")])
    if user is not None:
        communicator.scope["user"] = user
    elif token is None:
        communicator.scope["user"] = AnonymousUser()
    connected, _ = await communicator.connect()
    return communicator, connected


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_an_anonymous_socket_is_refused():
    communicator, connected = await connect()
    assert not connected


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_notification_arrives_after_commit_and_not_before():
    from apps.realtime.events import publish
    from apps.realtime.models import Notification

    user = await sync_to_async(make_user)("ws_insider", "110101", "东城区")
    communicator, connected = await connect(user)
    assert connected
    hello = await communicator.receive_json_from()
    assert "user.%d" % user.pk in hello["groups"] and "region.110101" in hello["groups"]

    def publish_and_hold():
        # Inside the transaction: stored, but not yet sent.
        with transaction.atomic():
            publish(event="task.overdue", payload={"task": 7}, users=[user], title="任务超期")
            assert Notification.objects.filter(recipient=user).count() == 1
            return transaction.get_connection().run_on_commit[:]

    pending = await sync_to_async(publish_and_hold)()
    assert pending, "delivery must wait for the commit"
    message = await communicator.receive_json_from(timeout=2)
    assert message["type"] == "event" and message["event"] == "task.overdue"
    assert message["title"] == "任务超期" and message["notification_id"]
    await communicator.disconnect()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_rolled_back_change_sends_and_stores_nothing():
    from apps.realtime.events import publish
    from apps.realtime.models import Notification

    user = await sync_to_async(make_user)("ws_rollback", "110101", "东城区")
    communicator, _ = await connect(user)
    await communicator.receive_json_from()

    def publish_then_fail():
        try:
            with transaction.atomic():
                publish(event="task.new", payload={}, users=[user], title="新任务")
                raise RuntimeError("the service failed after publishing")
        except RuntimeError:
            pass

    await sync_to_async(publish_then_fail)()
    assert await communicator.receive_nothing(timeout=0.3)
    assert await sync_to_async(Notification.objects.filter(recipient=user).count)() == 0
    await communicator.disconnect()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_region_events_reach_the_district_and_not_another_district():
    from apps.realtime.events import publish

    insider = await sync_to_async(make_user)("ws_dc", "110101", "东城区")
    outsider = await sync_to_async(make_user)("ws_hd", "110108", "海淀区")
    inside, _ = await connect(insider)
    outside, _ = await connect(outsider)
    await inside.receive_json_from()
    await outside.receive_json_from()

    def send():
        with transaction.atomic():
            publish(event="alarm.raised", payload={"device": "D1"}, region_code="110101001001", persist=False)

    await sync_to_async(send)()
    message = await inside.receive_json_from(timeout=2)
    assert message["event"] == "alarm.raised"
    assert await outside.receive_nothing(timeout=0.3)
    await inside.disconnect()
    await outside.disconnect()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_the_mobile_client_connects_with_a_token_and_marks_read():
    from apps.accounts.services import api_token_issue
    from apps.realtime.events import publish

    user = await sync_to_async(make_user)("ws_mobile", "110102", "西城区")
    _row, token = await sync_to_async(api_token_issue)(user=user)
    notifications = await sync_to_async(lambda: publish(event="x", payload={}, users=[user]))()
    communicator, connected = await connect(token=token)
    assert connected
    await communicator.receive_json_from()
    await communicator.send_json_to({"action": "mark_read", "id": notifications[0].pk})
    reply = await communicator.receive_json_from()
    assert reply == {"type": "read", "id": notifications[0].pk, "unread": 0}
    await communicator.send_json_to({"action": "mark_read", "id": 999999})
    assert (await communicator.receive_json_from())["code"] == "not_found"
    await communicator.disconnect()
    bad, connected = await connect(token="not-a-token")
    assert not connected


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_organisation_events_reach_its_members_only():
    from apps.realtime.events import publish

    member = await sync_to_async(make_user)("ws_member", "110101", "东城区")
    other = await sync_to_async(make_user)("ws_other", "110102", "西城区")
    org_id = await sync_to_async(lambda: member.memberships.get().organization_id)()
    inside, _ = await connect(member)
    outside, _ = await connect(other)
    await inside.receive_json_from()
    await outside.receive_json_from()
    await sync_to_async(lambda: publish(event="whistle.blown", payload={}, organization_ids=[org_id], persist=False))()
    assert (await inside.receive_json_from(timeout=2))["event"] == "whistle.blown"
    assert await outside.receive_nothing(timeout=0.3)
    await inside.disconnect()
    await outside.disconnect()
