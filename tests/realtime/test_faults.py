"""Faults of real-time delivery (issue 10, finding 4): a send that fails never fails the write, and delivery recovers by itself."""
import asyncio
import logging
import os
import socket
from urllib.parse import urlparse

import pytest
import pytest_asyncio
from asgiref.sync import sync_to_async
from channels.layers import channel_layers
from channels.testing import WebsocketCommunicator
from django.db import transaction

from cityenforce.asgi import application
from tests.realtime.test_consumer import make_user

REDIS = urlparse(os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/13")


def redis_up():
    try:
        socket.create_connection((REDIS.hostname, REDIS.port or 6379), timeout=0.5).close()
        return True
    except OSError:
        return False


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def redis_layer(address, prefix="faults"):
    """The production channel layer's settings (cityenforce.redis_options), at another address."""
    from cityenforce.redis_options import channel_layer_host

    return {"default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [channel_layer_host(address)], "prefix": prefix}}}


@pytest.fixture
def fresh_layers():
    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


@pytest_asyncio.fixture(autouse=True)
async def close_thread_connections():
    yield
    from django.db import connections

    await sync_to_async(connections.close_all)()


# --- a failed send never fails the write ------------------------------------------------------

@pytest.mark.django_db
def test_a_publish_while_redis_is_down_keeps_the_stored_notification_and_logs_the_event(insider, settings, fresh_layers, caplog,
                                                                                          django_capture_on_commit_callbacks):
    """Before: the after-commit group_send raised ConnectionError into the committed request (500)."""
    from apps.realtime.events import publish
    from apps.realtime.models import Notification

    settings.CHANNEL_LAYERS = redis_layer(f"redis://127.0.0.1:{closed_port()}/0")
    with caplog.at_level(logging.ERROR, logger="cityenforce.aftercommit"), django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            [stored] = publish(event="task.overdue", payload={"task": 1}, users=[insider], title="任务超期")
    assert len(callbacks) == 1
    assert Notification.objects.filter(pk=stored.pk, recipient=insider, read_at=None).exists()  # seen later in the message centre
    [record] = [r for r in caplog.records if r.name == "cityenforce.aftercommit"]
    assert "realtime:task.overdue" in record.getMessage() and record.exc_info[0].__name__ == "ConnectionError"


@pytest.mark.django_db
def test_a_broker_outage_while_enqueueing_a_partner_reply_is_logged_and_the_flush_sends_it_later(settings, monkeypatch, caplog,
                                                                                                   django_capture_on_commit_callbacks):
    import datetime as dt

    from django.utils import timezone
    from kombu.exceptions import OperationalError

    from apps.dispatch import services, tasks
    from apps.dispatch.models import OutboxMessage, Partner, Source

    partner = Partner.objects.create(name="12345 测试", hotline_secret="s" * 32, reply_url="")
    report = services.task_intake(user=None, source=Source.CITIZEN, description="路灯不亮", point=None, address="东城区东华门大街").report
    report.partner = partner  # outbox_enqueue needs only the partner link

    def broker_away(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.deliver_outbox_message, "delay", broker_away)
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            message = services.outbox_enqueue(task=report, kind=OutboxMessage.Kind.ACK)
    assert "dispatch:outbox-ack" in caplog.text
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.PENDING and message.attempts == 0
    # The beat's flush picks it up once its fallback time has come.
    assert services.outbox_deliver_due(now=timezone.now()) == 0
    assert services.outbox_deliver_due(now=timezone.now() + dt.timedelta(seconds=settings.DISPATCH_OUTBOX_BACKOFF_SECONDS + 1)) == 1
    message.refresh_from_db()
    assert message.attempts == 1


@pytest.mark.django_db
def test_a_broker_outage_while_an_alarm_asks_for_its_task_is_logged_and_the_retry_sweep_makes_it(monkeypatch, caplog,
                                                                                                   django_capture_on_commit_callbacks):
    from kombu.exceptions import OperationalError

    from apps.devices import tasks
    from apps.gbcp import aftercommit

    def broker_away(*args, **kwargs):
        raise OperationalError("Connection refused")

    monkeypatch.setattr(tasks.alarm_to_task, "delay", broker_away)
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            aftercommit.on_commit(lambda: tasks.alarm_to_task.delay(1), event="devices:alarm-to-task")
    assert "devices:alarm-to-task" in caplog.text and "OperationalError" in caplog.text


# --- delivery recovers by itself when Redis returns ------------------------------------------

class RedisOutage:
    """A TCP relay in front of the real Redis: ``stop()`` takes Redis away (connections cut, new ones refused), ``start()`` brings it back."""

    def __init__(self):
        self.port, self.server, self.streams = 0, None, []

    async def _relay(self, reader, writer):
        try:
            up_reader, up_writer = await asyncio.open_connection(REDIS.hostname, REDIS.port or 6379)
        except OSError:
            writer.close()
            return
        self.streams += [writer, up_writer]

        async def pipe(source, target):
            try:
                while data := await source.read(65536):
                    target.write(data)
                    await target.drain()
            except (OSError, asyncio.CancelledError):
                pass
            finally:
                target.close()

        asyncio.ensure_future(pipe(reader, up_writer))
        asyncio.ensure_future(pipe(up_reader, writer))

    async def start(self):
        self.server = await asyncio.start_server(self._relay, "127.0.0.1", self.port, reuse_address=True)
        self.port = self.server.sockets[0].getsockname()[1]

    async def stop(self):
        self.server.close()
        for stream in self.streams:
            stream.close()
        self.streams = []
        await self.server.wait_closed()

    @property
    def address(self):
        return f"redis://127.0.0.1:{self.port}{REDIS.path or '/13'}"


async def connect(user):
    communicator = WebsocketCommunicator(application, "/ws/notifications/", headers=[(b"host", b"127.0.0.1"), (b"origin", b"http://127.0.0.1")])
    communicator.scope["user"] = user
    try:
        connected, _code = await communicator.connect(timeout=5)
    except Exception:  # the consumer died on the layer's ConnectionError: the server closes the socket
        connected = False
    return communicator, connected


@pytest.mark.skipif(not redis_up(), reason=f"no Redis at {REDIS.hostname}:{REDIS.port or 6379} for the outage test")
@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_websocket_connects_and_delivery_recover_by_themselves_after_a_redis_outage(settings, fresh_layers):
    from apps.realtime.events import publish

    outage = RedisOutage()
    await outage.start()
    settings.CHANNEL_LAYERS = redis_layer(outage.address, prefix=f"faults{outage.port}")
    user = await sync_to_async(make_user)("ws_outage", "110101", "东城区")

    before, connected = await connect(user)
    assert connected
    await before.receive_json_from()

    await outage.stop()
    during, connected = await connect(user)
    assert not connected
    # A write during the outage commits, keeps its notification, and answers normally.
    stored = await sync_to_async(lambda: publish(event="task.overdue", payload={}, users=[user], title="停机期间"))()
    assert stored and stored[0].pk

    await outage.start()  # Redis is back, on the same address
    after, connected = await connect(user)
    assert connected, "a new WebSocket connects once Redis is back, without a restart"
    await after.receive_json_from()
    await sync_to_async(lambda: publish(event="task.new", payload={}, users=[user], title="恢复之后"))()
    message = await after.receive_json_from(timeout=5)
    assert message["event"] == "task.new" and message["title"] == "恢复之后"
    await after.disconnect()
    for communicator in (before, during):
        try:
            await communicator.disconnect()
        except Exception:
            pass
    await outage.stop()
