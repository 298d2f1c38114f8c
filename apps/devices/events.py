"""Real-time payloads of devices: unit positions for the live map and alarm events, sent after commit."""
import asyncio
import logging
import os
import threading

from asgiref.sync import async_to_sync
from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.conf import settings
from django.utils.translation import gettext as _

from apps.gbcp import aftercommit
from apps.realtime import groups
from apps.realtime.events import publish
from apps.realtime.models import Notification

logger = logging.getLogger(__name__)
MAP_EVERYTHING_GROUP = "map.region.all"


def map_groups_for_code(code: str) -> list[str]:
    """The live-map groups that hold a region code; separate from the notification groups so positions never toast."""
    return ["map." + g for g in groups.region_groups_for_code(code)] + [MAP_EVERYTHING_GROUP]


def map_group(prefix: str) -> str:
    return "map." + groups.region_group(prefix)


def _iso(value):
    return value.isoformat() if value else None


def unit_payload(device, status) -> dict:
    point = status.point if status is not None else None
    return {
        "id": device.pk,
        "code": device.code,
        "name": device.name,
        "kind": device.kind,
        "plate": device.vehicle_plate,
        "lat": round(point.y, 7) if point else None,
        "lon": round(point.x, 7) if point else None,
        "at": _iso(status.position_at) if status else None,
        "speed_kmh": status.speed_kmh if status else None,
        "bearing": status.bearing if status else None,
        "battery": status.battery if status else None,
    }


def sensor_payload(device, status) -> dict:
    payload = unit_payload(device, status)
    payload.update({"laeq": status.laeq if status else None, "window_leq": status.window_leq if status else None, "noise_at": _iso(status.noise_at) if status else None})
    return payload


def alarm_payload(alarm) -> dict:
    return {
        "id": alarm.pk,
        "kind": alarm.kind,
        "state": alarm.state,
        "severity": alarm.severity,
        "message": alarm.message,
        "device": {"id": alarm.device_id, "code": alarm.device.code, "name": alarm.device.name},
        "region": alarm.region.code,
        "lat": round(alarm.point.y, 7) if alarm.point else None,
        "lon": round(alarm.point.x, 7) if alarm.point else None,
        "started_at": _iso(alarm.started_at),
        "raised_at": _iso(alarm.raised_at),
        "last_seen_at": _iso(alarm.last_seen_at),
        "task_id": alarm.task_id,
        "details": alarm.details,
    }


class _LoopSender:
    """One event loop per process, in a thread, for the channel layer's sends.

    ``async_to_sync`` outside an ASGI server starts a new loop in a new thread for every call, and the
    Redis layer then opens new connections for that loop: about 12 ms of CPU per position on a
    WSGI worker. Here the loop and its connections live as long as the process; sends are handed
    over and not waited for (a live-map update is not worth holding the device's request).

    Unit positions are coalesced: the latest of each unit is kept and all of them go out together
    every ``DEVICE_MAP_COALESCE_S``, one message per group, instead of one group send (two to four
    Redis round trips) per group per position. Browsers see no difference: the live map shows a
    unit at most once per ``DEVICE_MAP_THROTTLE_S`` anyway.
    """

    def __init__(self, layer):
        self.layer, self.pid = layer, os.getpid()
        self.loop = asyncio.new_event_loop()
        self.lock = threading.Lock()
        self.units, self.flush_due = {}, False
        self.coalesce_s = float(getattr(settings, "DEVICE_MAP_COALESCE_S", 0.25))
        threading.Thread(target=self.loop.run_forever, name="devices-channel-sender", daemon=True).start()

    async def _send(self, messages):
        for name, message in messages:
            await self.layer.group_send(name, message)

    def submit(self, messages):
        future = asyncio.run_coroutine_threadsafe(self._send(messages), self.loop)
        future.add_done_callback(_log_failure)
        return future

    def add_unit(self, group_names, unit):
        with self.lock:
            self.units[unit["id"]] = (group_names, unit)
            if self.flush_due:
                return
            self.flush_due = True
        self.loop.call_soon_threadsafe(self.loop.call_later, self.coalesce_s, self._flush)

    def _flush(self):
        with self.lock:
            units, self.units, self.flush_due = self.units, {}, False
        by_group = {}
        for group_names, unit in units.values():
            for name in group_names:
                by_group.setdefault(name, []).append(unit)
        task = self.loop.create_task(self._send([(name, {"type": "map.units", "units": batch}) for name, batch in by_group.items()]))
        task.add_done_callback(_log_failure)


def _log_failure(future):
    if not future.cancelled() and future.exception() is not None:
        logger.warning("live-map event not sent: %r", future.exception())


_sender = None
_sender_lock = threading.Lock()


def _sender_for(layer):
    global _sender
    sender = _sender
    if sender is None or sender.layer is not layer or sender.pid != os.getpid():  # a forked worker needs its own loop
        with _sender_lock:
            if _sender is None or _sender.layer is not layer or _sender.pid != os.getpid():
                _sender = _LoopSender(layer)
            sender = _sender
    return sender


def send_messages(messages):
    """Send (group, message) pairs now: the in-memory layer in this thread, any other through the process's loop."""
    layer = get_channel_layer()
    if layer is None or not messages:
        return None
    if isinstance(layer, InMemoryChannelLayer):
        async def send():
            for name, message in messages:
                await layer.group_send(name, message)

        async_to_sync(send)()
        return None
    return _sender_for(layer).submit(messages)


def _queue_unit(group_names, unit):
    layer = get_channel_layer()
    if layer is None:
        return
    if isinstance(layer, InMemoryChannelLayer):  # in-process (embedded default, tests): at once, one message per group
        send_messages([(name, {"type": "map.unit", "unit": unit}) for name in group_names])
        return
    _sender_for(layer).add_unit(group_names, unit)


def _send_after_commit(group_names, message):
    aftercommit.on_commit(lambda: send_messages([(name, message) for name in group_names]), event=f"devices:{message.get('event') or message['type']}")


def unit_moved(*, device, status, region_code):
    """A unit's latest position to the live maps of every jurisdiction that holds it (one per batch, coalesced per process)."""
    unit, names = unit_payload(device, status), map_groups_for_code(region_code)
    aftercommit.on_commit(lambda: _queue_unit(names, unit), event="devices:map.unit")


def alarm_changed(*, alarm, event: str):
    """Raised, acknowledged and cleared go to the notification groups too; a mere update only to the live maps."""
    payload = alarm_payload(alarm)
    if event == "alarm.updated":
        _send_after_commit(map_groups_for_code(alarm.region.code), {"type": "map.alarm", "event": event, "alarm": payload})
        return
    titles = {
        "alarm.raised": _("Alarm: %(message)s") % {"message": alarm.message},
        "alarm.acknowledged": _("Alarm acknowledged: %(message)s") % {"message": alarm.message},
        "alarm.cleared": _("Alarm cleared: %(message)s") % {"message": alarm.message},
    }
    level = Notification.Level.URGENT if event == "alarm.raised" and alarm.severity >= 3 else Notification.Level.WARNING
    title, body, link = titles.get(event, event), alarm.device.name, "/devices/map/"
    layer = get_channel_layer()
    if layer is None or isinstance(layer, InMemoryChannelLayer):
        publish(event=event, payload=payload, region_code=alarm.region.code, persist=False, title=title, body=body, level=level, link=link)
        return
    # The message apps.realtime.events.publish(persist=False) sends to the jurisdiction, sent through this
    # process's loop: publish's async_to_sync costs a new event loop and Redis connections per call on a
    # WSGI worker, which is most of the time from the reading to the alarm on the map.
    message = {"type": "notify", "event": event, "title": title, "body": body, "level": level, "link": link, "payload": payload}
    names = groups.region_groups_for_code(alarm.region.code) + [groups.EVERYTHING_GROUP]
    aftercommit.on_commit(lambda: send_messages([(name, message) for name in names]), event=f"devices:{event}")
