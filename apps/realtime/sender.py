"""The one real-time sender: Channels group messages from synchronous code, through one event loop per process.

``async_to_sync`` outside an ASGI server starts a new event loop in a new thread for every call, and
channels_redis keeps its connection pools per event loop: every event then paid for a loop and new
Redis connections (about 12 ms of CPU on a WSGI worker). Here one loop per process, in a daemon
thread started on the first send, keeps its connections for the life of the process; sync code hands
its messages over with ``run_coroutine_threadsafe``.

Where a send goes:

- on an event loop's own thread (async code): a task on that loop; it cannot be waited for;
- the in-memory layer (embedded default, tests) keeps its queues in this process, with the consumers'
  loop: sent in the caller's thread by ``async_to_sync``, which inside an ASGI server (sync code under
  ``sync_to_async``) runs it on the server's loop, and elsewhere on a short loop of its own;
- any other layer (Redis): the process's sender loop. After a fork (gunicorn and Celery prefork
  workers) the child starts a loop of its own; at exit whatever is still queued is sent (a few seconds at most).

Nothing here raises into a write that has committed: a failed send is logged with the event's name,
by the after-commit hook (``wait=True``, which hands the layer's error to ``apps.gbcp.aftercommit``) or
here (``wait=False``). The stored notifications carry what must not be lost.
"""
import asyncio
import atexit
import logging
import os
import threading

from asgiref.sync import async_to_sync
from channels.layers import InMemoryChannelLayer, get_channel_layer

from apps.gbcp import aftercommit

logger = logging.getLogger(__name__)
SEND_TIMEOUT_S = 5.0  # a waiting caller is let go after this; the send itself carries on
DRAIN_TIMEOUT_S = 3.0


async def _send(layer, messages):
    for name, message in messages:
        await layer.group_send(name, message)


def _log_error(error, event):
    logger.warning("real-time event %s not sent: %r", event, error, exc_info=(type(error), error, error.__traceback__))


def _log_failure(task_or_future, event):
    if not task_or_future.cancelled() and task_or_future.exception() is not None:
        _log_error(task_or_future.exception(), event)


class _ProcessLoop:
    """The event loop of this process's sends, run forever by a daemon thread; positions coalesced per stream."""

    def __init__(self):
        self.pid = os.getpid()
        self.loop = asyncio.new_event_loop()
        self.lock = threading.Lock()
        self.streams = {}  # (message type, field) -> {"layer", "event", "items": {key: (group names, item)}}
        threading.Thread(target=self.loop.run_forever, name="realtime-sender", daemon=True).start()

    def submit(self, layer, messages, *, event, log):
        future = asyncio.run_coroutine_threadsafe(_send(layer, messages), self.loop)
        if log:
            future.add_done_callback(lambda f: _log_failure(f, event))
        return future

    def add_latest(self, layer, *, stream, key, group_names, item, delay, event):
        with self.lock:
            pending = self.streams.get(stream)
            if pending is not None:
                pending["items"][key] = (group_names, item)
                pending["layer"] = layer
                return
            self.streams[stream] = {"layer": layer, "event": event, "items": {key: (group_names, item)}}
        self.loop.call_soon_threadsafe(self.loop.call_later, delay, self._flush, stream)

    def _flush(self, stream):
        """On the loop: one message per group with the latest item of every key, instead of a send per item and group."""
        with self.lock:
            pending = self.streams.pop(stream, None)
        if not pending:
            return
        message_type, field = stream
        by_group = {}
        for group_names, item in pending["items"].values():
            for name in group_names:
                by_group.setdefault(name, []).append(item)
        task = self.loop.create_task(_send(pending["layer"], [(name, {"type": message_type, field: batch}) for name, batch in by_group.items()]))
        task.add_done_callback(lambda t: _log_failure(t, pending["event"]))

    def drain(self, timeout):
        """Send what is coalesced now and wait (at most ``timeout``) for every send in flight."""
        async def settle():
            for stream in list(self.streams):
                self._flush(stream)
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            if tasks:
                await asyncio.wait(tasks, timeout=timeout)

        asyncio.run_coroutine_threadsafe(settle(), self.loop).result(timeout + 1)


_process_loop = None
_process_loop_lock = threading.Lock()
_left_by_fork = []  # a parent's loop in a forked child: kept, never closed (its sockets are the parent's)


def _loop():
    global _process_loop
    current = _process_loop
    if current is None or current.pid != os.getpid():
        with _process_loop_lock:
            if _process_loop is None or _process_loop.pid != os.getpid():
                _process_loop = _ProcessLoop()
            current = _process_loop
    return current


def _after_fork_in_child():
    global _process_loop, _process_loop_lock
    if _process_loop is not None:
        _left_by_fork.append(_process_loop)
    _process_loop, _process_loop_lock = None, threading.Lock()  # the parent's lock may have been held at the fork


os.register_at_fork(after_in_child=_after_fork_in_child)


def drain(timeout: float = DRAIN_TIMEOUT_S) -> None:
    """Wait until this process's queued and coalesced sends are out (at exit, and for tests); never raises."""
    current = _process_loop
    if current is None or current.pid != os.getpid():
        return
    try:
        current.drain(timeout)
    except Exception:  # at exit or in a test: report, never raise
        logger.warning("real-time sends still in flight after %.1f s", timeout, exc_info=True)


atexit.register(drain)


def _running_loop():
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


_tasks = set()  # tasks on a server's loop, kept until done (the loop holds only weak references)


def _task_on(loop, layer, messages, event):
    task = loop.create_task(_send(layer, messages))
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)
    task.add_done_callback(lambda t: _log_failure(t, event))


def send(messages, *, event: str, wait: bool = False) -> None:
    """Send (group name, message) pairs to the channel layer now.

    ``wait=True`` returns once the layer has taken them and raises what the layer raised (or
    ``TimeoutError`` after ``SEND_TIMEOUT_S``): call it inside ``apps.gbcp.aftercommit.on_commit``,
    which logs. ``wait=False`` returns at once and logs a failure here.
    """
    messages = list(messages)
    layer = get_channel_layer()
    if layer is None or not messages:
        return
    running = _running_loop()
    if running is not None:
        _task_on(running, layer, messages, event)
        return
    if isinstance(layer, InMemoryChannelLayer):
        try:
            async_to_sync(_send)(layer, messages)
        except Exception as error:
            if wait:
                raise
            _log_error(error, event)
        return
    future = _loop().submit(layer, messages, event=event, log=not wait)
    if wait:
        future.result(timeout=SEND_TIMEOUT_S)


def send_latest(*, stream: tuple[str, str], key, group_names, item: dict, delay: float, event: str) -> None:
    """Keep only the latest ``item`` per ``key`` and send them together after ``delay`` seconds.

    ``stream`` is (message type, field): every group gets one ``{"type": message type, field: [items]}``
    per flush instead of a send per item. Where sends are immediate (the in-memory layer, an event
    loop's own thread) the item goes at once, in a batch of one. Never raises.
    """
    layer = get_channel_layer()
    if layer is None or not group_names:
        return
    message_type, field = stream
    if _running_loop() is not None or isinstance(layer, InMemoryChannelLayer):
        send([(name, {"type": message_type, field: [item]}) for name in group_names], event=event)
        return
    _loop().add_latest(layer, stream=stream, key=key, group_names=list(group_names), item=item, delay=delay, event=event)


def send_after_commit(messages, *, event: str, wait: bool = False) -> None:
    """``send`` once the current transaction commits (at once outside one); nothing if it rolls back; never raises."""
    messages = list(messages)
    aftercommit.on_commit(lambda: send(messages, event=event, wait=wait), event=event)


def send_latest_after_commit(*, stream: tuple[str, str], key, group_names, item: dict, delay: float, event: str) -> None:
    """``send_latest`` once the current transaction commits; nothing if it rolls back; never raises."""
    aftercommit.on_commit(
        lambda: send_latest(stream=stream, key=key, group_names=group_names, item=item, delay=delay, event=event), event=event,
    )
