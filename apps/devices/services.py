"""Every write of devices: registry and tokens, ingestion of positions and noise, alarms and their tasks, pruning."""
import datetime as dt
import hashlib
import hmac
import logging
import secrets
from collections import deque
from dataclasses import dataclass

from django.apps import apps as django_apps
from django.conf import settings
from django.contrib.gis.geos import Point
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import Role
from apps.devices import events, noise, storage
from apps.devices.models import ACTIVE_STATES, Alarm, Device, DeviceStatus, NoiseReading, Position, Shift
from apps.gbcp import aftercommit
from apps.gbcp.audit import acting_as
from apps.gbcp.errors import ApplicationError
from apps.gbcp.models import Category
from apps.gbcp.services import city_code_issue

logger = logging.getLogger(__name__)

# Who may acknowledge and clear alarms (analysts only read).
ALARM_HANDLER_ROLES = {Role.DISPATCHER, Role.SQUAD_LEADER, Role.LEADER, Role.OFFICER, Role.SUPERVISOR, Role.ADMINISTRATOR}
DEFAULT_INTERVALS = {  # kind: (report interval, offline after), seconds
    Device.Kind.OFFICER_GPS: (30, 300),
    Device.Kind.VEHICLE_GPS: (10, 300),
    Device.Kind.NOISE_SENSOR: (60, 900),
    Device.Kind.CAMERA: (60, 900),
}


class DeviceAuthError(ApplicationError):
    """Unknown device, revoked token or wrong token: one answer for all, so codes cannot be probed."""

    status_code = 401

    def __init__(self):
        super().__init__(_("The device is unknown or its token is not valid."), code="invalid_device_token")


@dataclass
class RegisteredDevice:
    device: Device
    token: str  # shown once; only its hash is stored


@dataclass
class IngestResult:
    device: Device
    received: int
    stored: int

    @property
    def duplicates(self):
        return self.received - self.stored


def token_hash(token: str) -> str:
    # Tokens are 256 random bits, so a fast unsalted hash is enough (as for
    # API keys); a slow password hash would cost every ingestion request.
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


def _region_for(*, region, place, grid, organization, officer):
    if region is not None:
        return region
    for candidate in (place, grid, organization):
        if candidate is not None:
            return candidate.region
    if officer is not None:
        orgs = officer.organizations()
        if orgs:
            return orgs[0].region
    raise ApplicationError(_("Say where the device belongs: a region, place, grid, organisation or officer."), code="device_without_region")


# --- registry -------------------------------------------------------------


@transaction.atomic
def device_register(*, user, name, kind, region=None, organization=None, officer=None, vehicle_plate="", place=None, grid=None,
                    noise_zone="", limit_day_db=None, limit_night_db=None, report_interval_s=None, offline_after_s=None,
                    token: str | None = None) -> RegisteredDevice:
    """Register a device with a new city code and token; the token is returned once and stored hashed."""
    if kind not in Device.Kind.values:
        raise ApplicationError(_("Unknown device kind: %(kind)s") % {"kind": kind}, code="invalid_kind")
    if kind == Device.Kind.NOISE_SENSOR and place is None:
        raise ApplicationError(_("A noise sensor is installed at a place."), code="sensor_without_place")
    region = _region_for(region=region, place=place, grid=grid, organization=organization, officer=officer)
    interval, offline = DEFAULT_INTERVALS[kind]
    token = token or new_token()
    with acting_as(user):
        device = Device.objects.create(
            code=city_code_issue(region_code=region.code[:6], kind="device"), name=name, kind=kind, region=region,
            organization=organization, officer=officer, vehicle_plate=vehicle_plate, place=place, grid=grid,
            noise_zone=noise_zone or ("construction" if kind == Device.Kind.NOISE_SENSOR else ""),
            limit_day_db=limit_day_db, limit_night_db=limit_night_db,
            report_interval_s=report_interval_s or interval, offline_after_s=offline_after_s or offline,
            token_hash=token_hash(token), token_rotated_at=timezone.now(),
        )
        DeviceStatus.objects.create(device=device, point=place.point if place is not None else None)
    return RegisteredDevice(device=device, token=token)


@transaction.atomic
def device_update(*, user, device: Device, **fields) -> Device:
    allowed = {"name", "organization", "officer", "vehicle_plate", "place", "grid", "noise_zone", "limit_day_db", "limit_night_db",
               "report_interval_s", "offline_after_s", "is_active", "region"}
    unknown = set(fields) - allowed
    if unknown:
        raise ApplicationError(_("These fields cannot be changed: %(fields)s") % {"fields": ", ".join(sorted(unknown))}, code="invalid_fields")
    with acting_as(user):
        for key, value in fields.items():
            setattr(device, key, value)
        device.save()
    return device


@transaction.atomic
def device_token_rotate(*, user, device: Device, token: str | None = None) -> str:
    """A new token replaces the old one at once (and lifts a revocation); the new token is returned once."""
    token = token or new_token()
    with acting_as(user):
        device.token_hash = token_hash(token)
        device.token_rotated_at = timezone.now()
        device.revoked_at = None
        device.save(update_fields=["token_hash", "token_rotated_at", "revoked_at"])
    return token


@transaction.atomic
def device_token_revoke(*, user, device: Device) -> Device:
    with acting_as(user):
        device.revoked_at = timezone.now()
        device.save(update_fields=["revoked_at"])
    return device


def device_authenticate(*, code: str, token: str | None) -> Device:
    """The device whose code and token match; anything else is one 401, with nothing stored."""
    code = (code or "").strip().upper()
    # The place too: a noise sensor's alarm names it and takes its point (one join instead of a query per alarm).
    device = Device.objects.filter(code=code).select_related("region", "place").first() if code else None
    given = token_hash(token or "")
    if device is None or not token or device.revoked_at is not None or not device.is_active:
        raise DeviceAuthError()
    if not hmac.compare_digest(given, device.token_hash):
        raise DeviceAuthError()
    return device


@transaction.atomic
def shift_create(*, user, device: Device, grid, starts_at, ends_at) -> Shift:
    if ends_at <= starts_at:
        raise ApplicationError(_("A shift ends after it starts."), code="invalid_shift")
    if device.kind != Device.Kind.OFFICER_GPS:
        raise ApplicationError(_("Shifts are for officers' devices."), code="invalid_shift")
    with acting_as(user):
        return Shift.objects.create(device=device, grid=grid, starts_at=starts_at, ends_at=ends_at)


# --- alarms ---------------------------------------------------------------


def _alarm_raise(*, device, kind, severity, message, started_at, at, point=None, details=None) -> Alarm:
    alarm = Alarm.objects.create(
        device=device, region_id=device.region_id, kind=kind, severity=severity, message=message, details=details or {},
        point=point, started_at=started_at, raised_at=at, last_seen_at=at,
    )
    alarm.device, alarm.region = device, device.region
    # The live map hears of the alarm first; its dispatch task is taken in after commit, off the
    # device's request (Celery; eager in the embedded default), and alarm_task_retry catches failures.
    events.alarm_changed(alarm=alarm, event="alarm.raised")
    if kind in settings.DEVICE_ALARM_TASK_KINDS:
        from apps.devices.tasks import alarm_to_task

        alarm_id = alarm.pk
        aftercommit.on_commit(lambda: alarm_to_task.delay(alarm_id), event="devices:alarm-to-task")  # alarm_task_retry sweeps up a lost one
    return alarm


def alarm_task_create(*, user=None, alarm_id) -> int | None:
    """Give one active alarm its dispatch task (idempotent: intake is keyed on the alarm)."""
    alarm = Alarm.objects.select_related("device__place", "region").filter(pk=alarm_id, state__in=ACTIVE_STATES, task_id__isnull=True).first()
    if alarm is None:
        return None
    with transaction.atomic(), acting_as(user):
        task_id = _dispatch_intake(alarm)
        if task_id:
            Alarm.objects.filter(pk=alarm.pk).update(task_id=task_id)
    return task_id


def _alarm_touch(alarm, *, at, severity=None, details=None):
    """A continuing episode: no new alarm and no history row per reading, just the latest facts."""
    _alarm_note(alarm, at=at, severity=severity, details=details)
    _alarm_touch_save(alarm)


def _alarm_note(alarm, *, at, severity=None, details=None):
    alarm.last_seen_at = at
    if severity is not None and severity > alarm.severity:
        alarm.severity = severity
    if details:
        alarm.details = {**alarm.details, **details}


def _alarm_touch_save(alarm):
    Alarm.objects.filter(pk=alarm.pk).update(last_seen_at=alarm.last_seen_at, severity=alarm.severity, details=alarm.details)
    events.alarm_changed(alarm=alarm, event="alarm.updated")


def _alarm_close(alarm, *, user=None, at=None, reason=""):
    alarm.state = Alarm.State.CLEARED
    alarm.cleared_at = at or timezone.now()
    alarm.cleared_by = user if user is not None and user.is_authenticated else None
    alarm.clear_reason = reason[:255]
    alarm.save()
    events.alarm_changed(alarm=alarm, event="alarm.cleared")


def _noise_category(night: bool):
    code = settings.DEVICE_NOISE_CATEGORY_NIGHT if night else settings.DEVICE_NOISE_CATEGORY_DAY
    return Category.objects.filter(code=code, is_active=True).first() if code else None


def _dispatch_intake(alarm) -> int | None:
    """The dispatch app's intake makes the episode one task; without that app the alarm simply has no task."""
    if not django_apps.is_installed("apps.dispatch"):
        logger.info("apps.dispatch is not installed; alarm %s has no task", alarm.pk)
        return None
    from apps.dispatch import services as dispatch_services

    device = alarm.device
    place = device.place
    night = bool(alarm.details.get("night"))
    description = _("%(message)s at %(place)s (sensor %(code)s).") % {
        "message": alarm.message, "place": place.name if place else device.name, "code": device.code,
    }
    try:
        # A savepoint: a failing intake must not lose the readings; the sweep retries alarms without a task.
        with transaction.atomic():
            result = dispatch_services.task_intake(
                user=None, source="sensor", description=description, point=alarm.point or (place.point if place else None),
                address=place.address if place else "", category=_noise_category(night),
                category_hint=_("night-time construction noise") if night else _("construction noise"),
                external_ref=f"device-alarm:{alarm.pk}", received_at=alarm.raised_at,
            )
    except Exception:
        logger.exception("dispatch intake failed for alarm %s", alarm.pk)
        return None
    return result.task.pk


@transaction.atomic
def alarm_acknowledge(*, user, alarm: Alarm) -> Alarm:
    _check_handler(user)
    if alarm.state != Alarm.State.RAISED:
        raise ApplicationError(_("Only a raised alarm can be acknowledged."), code="invalid_state")
    with acting_as(user):
        alarm.state = Alarm.State.ACKNOWLEDGED
        alarm.acknowledged_at = timezone.now()
        alarm.acknowledged_by = user
        alarm.save()
        events.alarm_changed(alarm=alarm, event="alarm.acknowledged")
    return alarm


@transaction.atomic
def alarm_clear(*, user, alarm: Alarm, reason="") -> Alarm:
    """Clear by hand; the rule starts afresh, so a noise that goes on is a new episode after the sustain time."""
    _check_handler(user)
    if not alarm.is_active:
        raise ApplicationError(_("The alarm is already cleared."), code="invalid_state")
    with acting_as(user):
        _alarm_close(alarm, user=user, reason=reason or _("cleared by hand"))
        if alarm.kind == Alarm.Kind.NOISE:
            DeviceStatus.objects.filter(device_id=alarm.device_id).update(noise_over_since=None)
        elif alarm.kind == Alarm.Kind.GEOFENCE:
            DeviceStatus.objects.filter(device_id=alarm.device_id).update(outside_grid_since=None)
    return alarm


def _check_handler(user):
    if user is None or not user.is_authenticated or not user.has_role(*ALARM_HANDLER_ROLES):
        raise ApplicationError(_("You may not handle alarms."), code="permission_denied", status_code=403)


def _active_alarms(device) -> dict:
    return {a.kind: a for a in Alarm.objects.filter(device=device, state__in=ACTIVE_STATES)}


@transaction.atomic
def alarm_task_retry(*, user=None) -> int:
    """Give a task to active alarms whose intake failed or came before the dispatch app existed."""
    done = 0
    with acting_as(user):
        for alarm in Alarm.objects.filter(kind__in=settings.DEVICE_ALARM_TASK_KINDS, state__in=ACTIVE_STATES, task_id__isnull=True).select_related("device__place", "region"):
            task_id = _dispatch_intake(alarm)
            if task_id:
                Alarm.objects.filter(pk=alarm.pk).update(task_id=task_id)
                done += 1
    return done


# --- ingestion: positions -------------------------------------------------


def _lock_status(device) -> DeviceStatus:
    status = DeviceStatus.objects.select_for_update().filter(device=device).first()
    if status is None:
        status = DeviceStatus.objects.create(device=device)
    return status


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


@transaction.atomic
def positions_ingest(*, device: Device, points, now=None) -> IngestResult:
    """Store parsed points once each; move the unit on the map; check offline, geofence and battery."""
    now = now or timezone.now()
    stored = storage.insert_positions(device.pk, points, now)
    status = _lock_status(device)
    # Only points newer than the last known one move the unit and drive the rules;
    # late and repeated points are stored (or skipped) but change no state.
    newer = sorted((p for p in points if status.position_at is None or p[0] > status.position_at), key=lambda p: p[0])
    status.last_seen_at = now
    fields = ["last_seen_at"]
    active = _active_alarms(device)
    if Alarm.Kind.OFFLINE in active:
        _alarm_close(active.pop(Alarm.Kind.OFFLINE), at=now, reason=_("the device reports again"))
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
    """Outside the shift's grid for longer than the grace time raises; back inside (or shift over) clears."""
    grace = dt.timedelta(seconds=settings.DEVICE_GEOFENCE_GRACE_S)
    tolerance = settings.DEVICE_GEOFENCE_TOLERANCE_M / 111_000  # metres to degrees, near enough for a margin
    shift = _shift_at(device, newer[-1][0]) or _shift_at(device, newer[0][0])
    alarm = active.get(Alarm.Kind.GEOFENCE)
    if shift is None:
        if alarm is not None:
            _alarm_close(alarm, at=newer[-1][0], reason=_("the shift is over"))
        status.outside_grid_since = None
        return ["outside_grid_since"]
    area = shift.grid.boundary.buffer(tolerance).prepared if tolerance else shift.grid.boundary.prepared
    confirmed_at = None
    for p in newer:
        if not shift.starts_at <= p[0] < shift.ends_at:
            continue
        if area.contains(Point(p[2], p[1], srid=4326)):
            status.outside_grid_since = None
            if alarm is not None:
                _alarm_close(alarm, at=p[0], reason=_("back inside the grid"))
                alarm, confirmed_at = None, None
            continue
        status.outside_grid_since = status.outside_grid_since or p[0]
        if alarm is not None:
            confirmed_at = p[0]
        elif p[0] - status.outside_grid_since >= grace:
            alarm = _alarm_raise(
                device=device, kind=Alarm.Kind.GEOFENCE, severity=Alarm.Severity.LOW,
                message=_("%(unit)s is outside grid %(grid)s during the shift") % {"unit": device.name, "grid": shift.grid.name},
                started_at=status.outside_grid_since, at=p[0], point=Point(p[2], p[1], srid=4326),
                details={"grid": shift.grid.code, "shift": shift.pk},
            )
    if alarm is not None and confirmed_at is not None:
        _alarm_touch(alarm, at=confirmed_at)
    return ["outside_grid_since"]


def _battery(device, status, latest, active):
    level = latest[7]
    if level is None:
        return
    alarm = active.get(Alarm.Kind.LOW_BATTERY)
    threshold = settings.DEVICE_LOW_BATTERY_PCT
    if alarm is None and level < threshold:
        _alarm_raise(
            device=device, kind=Alarm.Kind.LOW_BATTERY, severity=Alarm.Severity.LOW,
            message=_("%(unit)s battery at %(level)d%%") % {"unit": device.name, "level": level},
            started_at=latest[0], at=latest[0], point=status.point, details={"battery": level},
        )
    # Hysteresis, so a level hovering at the threshold does not flap.
    elif alarm is not None and level >= threshold + 10:
        _alarm_close(alarm, at=latest[0], reason=_("battery charged"))


# --- ingestion: noise -----------------------------------------------------


@transaction.atomic
def noise_ingest(*, device: Device, readings, now=None) -> IngestResult:
    """Store readings once each and run the alarm rule over the new ones, in time order."""
    if device.kind != Device.Kind.NOISE_SENSOR:
        raise ApplicationError(_("This device does not measure noise."), code="wrong_device_kind")
    now = now or timezone.now()
    stored = storage.insert_noise(device.pk, readings, now)
    status = _lock_status(device)
    status.last_seen_at = now
    active = _active_alarms(device)
    if Alarm.Kind.OFFLINE in active:
        _alarm_close(active.pop(Alarm.Kind.OFFLINE), at=now, reason=_("the device reports again"))
    new_times = sorted(r[0] for r in readings if status.noise_at is None or r[0] > status.noise_at)
    if new_times:
        _noise_rule(device, status, new_times, active.get(Alarm.Kind.NOISE))
    status.save()
    if new_times:
        events.unit_moved(device=device, status=status, region_code=device.region.code)
    return IngestResult(device=device, received=len(readings), stored=stored)


def _noise_rule(device, status, new_times, alarm):
    """GB 12523: the equivalent level over a sliding window above the limit for the sustain time raises an alarm;
    at night two intervals in a window with Lmax more than 15 dB(A) over the limit raise it too.
    Below the limit for the clear time clears it.
    """
    window = dt.timedelta(seconds=settings.DEVICE_NOISE_WINDOW_S)
    sustain = dt.timedelta(seconds=settings.DEVICE_NOISE_SUSTAIN_S)
    clear_after = dt.timedelta(seconds=settings.DEVICE_NOISE_CLEAR_S)
    limits = noise.limits_for(device)
    # The database's rows are the truth (a repeated time keeps its first values).
    rows = list(
        NoiseReading.objects.filter(device=device, recorded_at__gt=new_times[0] - window, recorded_at__lte=new_times[-1])
        .order_by("recorded_at").values_list("recorded_at", "interval_s", "laeq", "lmax")
    )
    first_new = new_times[0]
    # Each reading's energy tᵢ·10^(Lᵢ/10) is computed once, not once per window it is in, and the
    # loud intervals are counted as they enter and leave the window (the night Lmax threshold is
    # one number all night); the sums are the same as noise.leq's, in the same order.
    night_threshold = limits.night + noise.NIGHT_LMAX_MARGIN
    in_window = deque()
    loud = 0
    touched = False  # a continuing episode is written once per batch, with its latest facts
    for at, interval_s, laeq, lmax in rows:
        entry = (at, interval_s, noise.energy(interval_s, laeq), lmax is not None and lmax > night_threshold)
        in_window.append(entry)
        loud += entry[3]
        while in_window and in_window[0][0] <= at - window:
            loud -= in_window.popleft()[3]
        if at < first_new:
            continue
        # A gap longer than the window means the earlier state says nothing about now.
        if status.noise_at is not None and at - status.noise_at > window:
            status.noise_over_since = status.noise_under_since = None
        limit, night = limits.at(at)
        level = noise.leq_of_energies((r[1], r[2]) for r in in_window)
        lmax_hits = loud if night else 0
        started = at - dt.timedelta(seconds=interval_s)
        status.noise_at, status.laeq, status.lmax, status.window_leq = at, laeq, lmax, round(level, 1)
        over_leq = level > limit
        over_lmax = lmax_hits >= settings.DEVICE_NOISE_NIGHT_LMAX_HITS
        if over_leq or over_lmax:
            status.noise_under_since = None
            status.noise_over_since = status.noise_over_since or started
            excess = level - limit
            severity = Alarm.Severity.HIGH if excess >= 10 else Alarm.Severity.MEDIUM if (excess >= 5 or night or over_lmax) else Alarm.Severity.LOW
            facts = {"window_leq": round(level, 1), "limit": limit, "night": night, "lmax_hits": lmax_hits}
            if alarm is not None:
                facts["peak_leq"] = max(alarm.details.get("peak_leq", 0), round(level, 1))
                _alarm_note(alarm, at=at, severity=severity, details=facts)
                touched = True
            elif over_lmax or at - status.noise_over_since >= sustain:
                reason = _("night Lmax over the limit by more than 15 dB(A)") if over_lmax and not over_leq else _("LAeq over the limit")
                alarm = _alarm_raise(
                    device=device, kind=Alarm.Kind.NOISE, severity=severity,
                    message=_("Noise at %(place)s: %(level).1f dB(A), limit %(limit).0f (%(reason)s)")
                    % {"place": device.place.name if device.place else device.name, "level": level, "limit": limit, "reason": reason},
                    started_at=status.noise_over_since, at=at, point=status.point or (device.place.point if device.place else None),
                    details={**facts, "peak_leq": round(level, 1), "rule": "lmax" if over_lmax and not over_leq else "leq"},
                )
        else:
            status.noise_over_since = None
            status.noise_under_since = status.noise_under_since or started
            if alarm is not None and at - status.noise_under_since >= clear_after:
                _alarm_close(alarm, at=at, reason=_("below the limit for %(minutes)d minutes") % {"minutes": clear_after.total_seconds() // 60})
                alarm, touched = None, False  # closing saves the whole alarm, facts included
    if alarm is not None and touched:
        _alarm_touch_save(alarm)


# --- sweeps ---------------------------------------------------------------


@transaction.atomic
def devices_offline_sweep(*, user=None, now=None) -> int:
    """Raise an offline alarm for every device silent longer than its offline time (once per episode)."""
    now = now or timezone.now()
    raised = 0
    with acting_as(user):
        silent = (
            DeviceStatus.objects.filter(device__is_active=True, device__revoked_at__isnull=True, last_seen_at__isnull=False)
            .exclude(device__alarms__kind=Alarm.Kind.OFFLINE, device__alarms__state__in=ACTIVE_STATES)
            .select_related("device__region", "device__place")
        )
        for status in silent:
            device = status.device
            if now - status.last_seen_at <= dt.timedelta(seconds=device.offline_after_s):
                continue
            _alarm_raise(
                device=device, kind=Alarm.Kind.OFFLINE, severity=Alarm.Severity.MEDIUM,
                message=_("%(unit)s has been silent since %(time)s") % {"unit": device.name, "time": timezone.localtime(status.last_seen_at).strftime("%H:%M")},
                started_at=status.last_seen_at, at=now, point=status.point, details={"silent_s": int((now - status.last_seen_at).total_seconds())},
            )
            raised += 1
    return raised


def readings_prune(*, user=None, older_than_days=None, now=None) -> dict:
    """Delete raw positions and noise readings older than the retention period (alarms and latest state stay)."""
    days = older_than_days if older_than_days is not None else settings.DEVICE_RETENTION_DAYS
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    with transaction.atomic():
        # Raw points have no history and nothing points at them, so this is one DELETE each.
        positions = Position.objects.filter(recorded_at__lt=cutoff).delete()[0]
        readings = NoiseReading.objects.filter(recorded_at__lt=cutoff).delete()[0]
    return {"positions": positions, "noise_readings": readings, "cutoff": cutoff.isoformat()}
