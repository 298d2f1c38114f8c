"""Real-time payloads of devices: unit positions for the live map and alarm events, sent after commit.

Everything goes out through the process's one sender (``apps.realtime.sender``): its loop keeps the
channel layer's connections for the life of the process, so a position or an alarm costs a hand-over
to that loop, not a new event loop and new Redis connections.
"""
from django.conf import settings
from django.utils.translation import gettext as _

from apps.realtime import groups, sender
from apps.realtime.events import publish
from apps.realtime.models import Notification

MAP_EVERYTHING_GROUP = "map.region.all"
# Positions are coalesced: the latest of each unit goes out every DEVICE_MAP_COALESCE_S, one message per
# group, instead of one group send (two to four Redis round trips) per group per position. Browsers see
# no difference: the live map shows a unit at most once per DEVICE_MAP_THROTTLE_S anyway.
UNITS_STREAM = ("map.units", "units")


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


def send_messages(messages):
    """Send (group, message) pairs now, through the process's one sender (``apps.realtime.sender``); never raises."""
    sender.send(messages, event="devices:send")


def unit_moved(*, device, status, region_code):
    """A unit's latest position to the live maps of every jurisdiction that holds it (coalesced per process)."""
    unit = unit_payload(device, status)
    sender.send_latest_after_commit(
        stream=UNITS_STREAM, key=unit["id"], group_names=map_groups_for_code(region_code), item=unit,
        delay=float(getattr(settings, "DEVICE_MAP_COALESCE_S", 0.25)), event="devices:map.unit",
    )


def alarm_changed(*, alarm, event: str):
    """Raised, acknowledged and cleared go to the notification groups too; a mere update only to the live maps."""
    payload = alarm_payload(alarm)
    if event == "alarm.updated":
        message = {"type": "map.alarm", "event": event, "alarm": payload}
        sender.send_after_commit([(name, message) for name in map_groups_for_code(alarm.region.code)], event=f"devices:{event}")
        return
    titles = {
        "alarm.raised": _("Alarm: %(message)s") % {"message": alarm.message},
        "alarm.acknowledged": _("Alarm acknowledged: %(message)s") % {"message": alarm.message},
        "alarm.cleared": _("Alarm cleared: %(message)s") % {"message": alarm.message},
    }
    level = Notification.Level.URGENT if event == "alarm.raised" and alarm.severity >= 3 else Notification.Level.WARNING
    # Not waited for: the device's request does not hold for the sends (the jurisdiction's groups, as publish builds them).
    publish(
        event=event, payload=payload, region_code=alarm.region.code, persist=False, title=titles.get(event, event),
        body=alarm.device.name, level=level, link="/devices/map/", wait=False,
    )
