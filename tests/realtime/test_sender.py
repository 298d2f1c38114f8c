"""The one real-time sender: from sync code, from a thread with no loop, on a server's loop, after commit only, after a fork, never raising."""
import asyncio
import logging
import os
import threading
import time

import pytest
import pytest_asyncio
from asgiref.sync import async_to_sync, sync_to_async
from channels.layers import InMemoryChannelLayer, channel_layers
from django.db import transaction

from apps.realtime import groups, sender
from tests.realtime.test_consumer import connect, make_user
from tests.realtime.test_faults import REDIS, redis_layer, redis_up


@pytest_asyncio.fixture(autouse=True)
async def close_thread_connections():
    yield
    from django.db import connections

    await sync_to_async(connections.close_all)()


@pytest.fixture
def fresh_layers():
    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


def note(title):
    return {"type": "notify", "event": "test.sent", "title": title, "body": "", "level": "info", "link": "", "payload": {}}


class RecordingLayer:
    """Remembers what was sent; ``fail`` makes every send raise, ``hang`` makes it never finish."""

    def __init__(self, fail=None, hang=False):
        self.sent, self.fail, self.hang = [], fail, hang

    async def group_send(self, group, message):
        if self.fail is not None:
            raise self.fail
        if self.hang:
            await asyncio.sleep(3600)
        self.sent.append((group, message))


@pytest.fixture
def use_layer(monkeypatch):
    sender.drain()

    def use(layer):
        monkeypatch.setattr(sender, "get_channel_layer", lambda: layer)
        return layer

    yield use
    sender.drain(timeout=0.5)


# --- reaching a consumer ------------------------------------------------------------------------

@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_group_send_from_sync_code_reaches_a_connected_consumer():
    user = await sync_to_async(make_user)("send_sync", "110101", "东城区")
    communicator, connected = await connect(user)
    assert connected
    await communicator.receive_json_from()
    await sync_to_async(lambda: sender.send([(groups.user_group(user.pk), note("同步代码"))], event="test", wait=True))()
    message = await communicator.receive_json_from(timeout=2)
    assert message["type"] == "event" and message["title"] == "同步代码"
    await communicator.disconnect()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_send_on_the_servers_own_loop_goes_out_as_a_task_of_that_loop():
    user = await sync_to_async(make_user)("send_loop", "110101", "东城区")
    communicator, _ = await connect(user)
    await communicator.receive_json_from()
    sender.send([(groups.user_group(user.pk), note("事件循环"))], event="test", wait=True)  # cannot block the loop: returns at once
    assert (await communicator.receive_json_from(timeout=2))["title"] == "事件循环"
    await communicator.disconnect()


def test_a_send_from_a_thread_with_no_event_loop_reaches_the_in_memory_layer(settings, fresh_layers):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    layer = sender.get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)("user.4242", channel)
    errors = []

    def run():
        try:
            sender.send([("user.4242", note("线程"))], event="test", wait=True)
        except Exception as error:  # the assertion below names it
            errors.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(5)
    assert errors == []
    assert async_to_sync(layer.receive)(channel)["title"] == "线程"


@pytest.mark.skipif(not redis_up(), reason=f"no Redis at {REDIS.hostname}:{REDIS.port or 6379}")
@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_sends_from_threads_with_no_loop_reach_a_consumer_through_redis_on_one_loop_per_process(settings, fresh_layers):
    settings.CHANNEL_LAYERS = redis_layer(f"redis://{REDIS.hostname}:{REDIS.port or 6379}{REDIS.path or '/13'}", prefix=f"sender{os.getpid()}")
    user = await sync_to_async(make_user)("send_redis", "110101", "东城区")
    communicator, connected = await connect(user)
    assert connected
    await communicator.receive_json_from()

    errors = []

    def send(title):
        try:
            sender.send([(groups.user_group(user.pk), note(title))], event="test", wait=True)
        except Exception as error:  # the assertion below names it
            errors.append(error)

    for title in ("第一", "第二"):
        thread = threading.Thread(target=send, args=(title,))
        thread.start()
        await sync_to_async(thread.join, thread_sensitive=False)(5)
    assert errors == []
    assert [(await communicator.receive_json_from(timeout=3))["title"] for _ in range(2)] == ["第一", "第二"]
    # Both threads handed over to the same loop, whose Redis connections outlive each send.
    assert [t.name for t in threading.enumerate()].count("realtime-sender") == 1
    await communicator.disconnect()


# --- after commit, never raising ------------------------------------------------------------------

@pytest.mark.django_db
def test_a_send_after_a_rollback_is_never_made(use_layer, django_capture_on_commit_callbacks):
    layer = use_layer(RecordingLayer())
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            sender.send_after_commit([("user.1", note("回滚"))], event="test.rollback")
            raise RuntimeError("the write failed")
        with transaction.atomic():
            sender.send_after_commit([("user.1", note("提交"))], event="test.commit")
    sender.drain()
    assert len(callbacks) == 1
    assert [message["title"] for _group, message in layer.sent] == ["提交"]


@pytest.mark.django_db
def test_a_failing_layer_is_logged_with_the_event_and_never_raised(use_layer, caplog, django_capture_on_commit_callbacks):
    use_layer(RecordingLayer(fail=ConnectionError("Redis is away")))
    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        sender.send_after_commit([("user.1", note("丢失"))], event="test.handed-over")  # not waited for: logged by the sender
        sender.send_after_commit([("user.1", note("丢失"))], event="test.waited", wait=True)  # waited for: logged by the commit hook
        sender.send_latest_after_commit(stream=("map.units", "units"), key=1, group_names=["map.region.all"], item={"id": 1}, delay=0.01,
                                        event="test.coalesced")
    sender.drain()
    logged = {(r.name, r.getMessage().split()[2], r.exc_info[0]) for r in caplog.records if r.name in {"apps.realtime.sender", "cityenforce.aftercommit"}}
    assert logged == {
        ("apps.realtime.sender", "test.handed-over", ConnectionError),
        ("cityenforce.aftercommit", "test.waited", ConnectionError),
        ("apps.realtime.sender", "test.coalesced", ConnectionError),
    }


def test_a_failing_in_memory_layer_is_logged_not_raised(use_layer, caplog):
    class Broken(InMemoryChannelLayer):
        async def group_send(self, group, message):
            raise RuntimeError("broken layer")

    use_layer(Broken())
    with caplog.at_level(logging.WARNING, logger="apps.realtime.sender"):
        sender.send([("user.1", note("内存"))], event="test.in-memory")
    [record] = [r for r in caplog.records if r.name == "apps.realtime.sender"]
    assert "test.in-memory" in record.getMessage() and record.exc_info[0] is RuntimeError


def test_a_waiting_caller_is_let_go_when_the_layer_hangs(use_layer, monkeypatch):
    use_layer(RecordingLayer(hang=True))
    monkeypatch.setattr(sender, "SEND_TIMEOUT_S", 0.2)
    started = time.monotonic()
    with pytest.raises(TimeoutError):  # inside the commit hook, which logs it
        sender.send([("user.1", note("挂起"))], event="test.hang", wait=True)
    assert time.monotonic() - started < 2


# --- one loop per process, also after a fork ------------------------------------------------------

@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")
def test_a_forked_worker_sends_through_a_loop_of_its_own(use_layer):
    layer = use_layer(RecordingLayer())
    sender.send([("user.1", note("父进程"))], event="test.parent", wait=True)  # the parent's loop is running
    parent_loop = sender._process_loop
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: a new loop, the parent's left alone; report and leave at once
        code = 1
        try:
            sender.send([("user.1", note("子进程"))], event="test.child", wait=True)
            ok = sender._process_loop is not parent_loop and sender._process_loop.pid == os.getpid() and layer.sent[-1][1]["title"] == "子进程"
            code = 0 if ok else 2
        finally:
            os.write(write_end, bytes([code]))
            os._exit(code)
    os.close(write_end)
    _pid, status = os.waitpid(pid, 0)
    reported = os.read(read_end, 1)
    os.close(read_end)
    assert reported == b"\x00" and os.waitstatus_to_exitcode(status) == 0
    assert sender._process_loop is parent_loop and [m["title"] for _g, m in layer.sent] == ["父进程"]
