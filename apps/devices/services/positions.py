"""Ingesting positions: the OsmAnd one-point report and batches; the unit moves, the geofence and battery rules run."""
import datetime as dt

from django.conf import settings
from django.contrib.gis.geos import Point
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.devices import events, storage
from apps.devices.models import Alarm, Device, DeviceStatus, Shift
from apps.devices.services._common import IngestResult, active_alarms, alarm_close, alarm_raise, alarm_touch, lock_status
from apps.devices.services.registry import DeviceAuthError, device_authenticate, token_hash
from apps.duty import selectors as duty_selectors


def _shift_at(device, when):
    return Shift.objects.filter(device=device, starts_at__lte=when, ends_at__gt=when).select_related("grid").first()


def position_report(*, code: str, token: str | None, point, now=None) -> IngestResult:
    """One parsed point with the device's code and token (the OsmAnd protocol: one point per request).

    On PostgreSQL the token check, the insert and the unit's move are one statement whenever
    nothing but the position can change (no active alarm, battery not low, no shift to check);
    otherwise, and on other databases, it is ``device_authenticate`` and ``positions_ingest``.
    Same answers either way: a bad token is a 401 with nothing stored, a repeated point is stored once.
    """
    now = now or timezone.now()
    code = (code or "").strip().upper()
    if point[1] is None or point[2] is None:
        return _report_without_fix(code=code, token=token, point=point, now=now)
    if connection.vendor == "postgresql" and code and token:
        row = storage.report_position(code=code, token_hash=token_hash(token), point=point, now=now, low_battery=settings.DEVICE_LOW_BATTERY_PCT)
        if row is None:
            raise DeviceAuthError()
        if row["simple"]:
            device = Device(pk=row["id"], code=code, kind=row["kind"], name=row["name"], vehicle_plate=row["vehicle_plate"])
            if row["stored"] and row["position_at"] == point[0]:
                status = DeviceStatus(
                    device_id=device.pk, position_at=row["position_at"], point=Point(point[2], point[1], srid=4326),
                    speed_kmh=row["speed_kmh"], bearing=row["bearing"], battery=row["battery"],
                )
                events.unit_moved(device=device, status=status, region_code=row["region_code"])
            return IngestResult(device=device, received=1, stored=row["stored"])
        device = Device.objects.select_related("region").get(pk=row["id"])
    else:
        device = device_authenticate(code=code, token=token)
    return positions_ingest(device=device, points=[point], now=now)


def _report_without_fix(*, code, token, point, now) -> IngestResult:
    """A report with cell towers or Wi-Fi networks but no coordinates: stored at the device's last known position,
    as Traccar does; a device that never had a fix is only marked as seen (nothing to store, nothing refused)."""
    device = device_authenticate(code=code, token=token)
    with transaction.atomic():
        status = lock_status(device)
        if status.point is None:
            status.last_seen_at = now
            status.save(update_fields=["last_seen_at"])
            return IngestResult(device=device, received=1, stored=0)
        known = status.point
    return positions_ingest(device=device, points=[(point[0], known.y, known.x) + tuple(point[3:])], now=now)


@transaction.atomic
def positions_ingest(*, device: Device, points, now=None) -> IngestResult:
    """Store parsed points once each; move the unit on the map; check offline, geofence and battery."""
    now = now or timezone.now()
    stored = storage.insert_positions(device.pk, points, now)
    status = lock_status(device)
    # Only points newer than the last known one move the unit and drive the rules;
    # late and repeated points are stored (or skipped) but change no state.
    newer = sorted((p for p in points if status.position_at is None or p[0] > status.position_at), key=lambda p: p[0])
    status.last_seen_at = now
    fields = ["last_seen_at"]
    active = active_alarms(device)
    if Alarm.Kind.OFFLINE in active:
        alarm_close(active.pop(Alarm.Kind.OFFLINE), at=now, reason=_("the device reports again"))
    if newer:
        latest = newer[-1]
        status.position_at, status.point = latest[0], Point(latest[2], latest[1], srid=4326)
        status.speed_kmh, status.bearing = latest[3], latest[4]
        if latest[7] is not None:
            status.battery = latest[7]
        fields += ["position_at", "point", "speed_kmh", "bearing", "battery"]
        if device.kind == Device.Kind.OFFICER_GPS:
            fields += _geofence(device, status, newer, active)
        _battery(device, status, latest, active)
    status.save(update_fields=sorted(set(fields)))
    if newer:
        events.unit_moved(device=device, status=status, region_code=device.region.code)
    return IngestResult(device=device, received=len(points), stored=stored)


def _geofence(device, status, newer, active) -> list[str]:
    """Outside the shift's grid (or the duty post the officer holds then) for longer than the grace time raises; back
    inside (or shift over) clears."""
    grace = dt.timedelta(seconds=settings.DEVICE_GEOFENCE_GRACE_S)
    tolerance = settings.DEVICE_GEOFENCE_TOLERANCE_M / 111_000  # metres to degrees, near enough for a margin
    shift = _shift_at(device, newer[-1][0]) or _shift_at(device, newer[0][0])
    alarm = active.get(Alarm.Kind.GEOFENCE)
    if shift is None:
        if alarm is not None:
            alarm_close(alarm, at=newer[-1][0], reason=_("the shift is over"))
        status.outside_grid_since = None
        return ["outside_grid_since"]
    # While the officer holds a duty post (apps.duty roster) the geofence is the post's area, else the shift's grid.
    duties = duty_selectors.posts_between(officer_id=device.officer_id, start=newer[0][0], end=newer[-1][0]) if device.officer_id else []
    grid_area = shift.grid.boundary.buffer(tolerance).prepared if tolerance else shift.grid.boundary.prepared
    post_areas = {}

    def fence(when):
        """(prepared area, message, details) at ``when``: the post held then, else the shift's grid."""
        duty = next((a for a in duties if a.shift.starts_at <= when < a.shift.ends_at), None)
        shape = duty.post.geometry() if duty is not None else None
        if shape is None:
            message = _("%(unit)s is outside grid %(grid)s during the shift") % {"unit": device.name, "grid": shift.grid.name}
            return grid_area, message, {"grid": shift.grid.code, "shift": shift.pk}
        if duty.post.pk not in post_areas:
            post_areas[duty.post.pk] = shape.buffer(tolerance).prepared if tolerance else shape.prepared
        message = _("%(unit)s is outside post %(post)s during the shift") % {"unit": device.name, "post": duty.post.name}
        return post_areas[duty.post.pk], message, {"grid": shift.grid.code, "shift": shift.pk, "post": duty.post.pk, "duty_shift": duty.shift.pk}

    confirmed_at = None
    for p in newer:
        if not shift.starts_at <= p[0] < shift.ends_at:
            continue
        area, message, details = fence(p[0])
        if area.contains(Point(p[2], p[1], srid=4326)):
            status.outside_grid_since = None
            if alarm is not None:
                alarm_close(alarm, at=p[0], reason=_("back inside the grid"))
                alarm, confirmed_at = None, None
            continue
        status.outside_grid_since = status.outside_grid_since or p[0]
        if alarm is not None:
            confirmed_at = p[0]
        elif p[0] - status.outside_grid_since >= grace:
            alarm = alarm_raise(
                device=device, kind=Alarm.Kind.GEOFENCE, severity=Alarm.Severity.LOW, message=message,
                started_at=status.outside_grid_since, at=p[0], point=Point(p[2], p[1], srid=4326), details=details,
            )
    if alarm is not None and confirmed_at is not None:
        alarm_touch(alarm, at=confirmed_at)
    return ["outside_grid_since"]


def _battery(device, status, latest, active):
    level = latest[7]
    if level is None:
        return
    alarm = active.get(Alarm.Kind.LOW_BATTERY)
    threshold = settings.DEVICE_LOW_BATTERY_PCT
    if alarm is None and level < threshold:
        alarm_raise(
            device=device, kind=Alarm.Kind.LOW_BATTERY, severity=Alarm.Severity.LOW,
            message=_("%(unit)s battery at %(level)d%%") % {"unit": device.name, "level": level},
            started_at=latest[0], at=latest[0], point=status.point, details={"battery": level},
        )
    # Hysteresis, so a level hovering at the threshold does not flap.
    elif alarm is not None and level >= threshold + 10:
        alarm_close(alarm, at=latest[0], reason=_("battery charged"))
