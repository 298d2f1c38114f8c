"""Reads of devices, tracks, readings and alarms that depend on who asks; outside the jurisdiction is not found."""
import datetime as dt

from django.db.models import Q
from django.utils import timezone

from apps.accounts.jurisdiction import scope_queryset
from apps.devices import noise
from apps.devices.models import ACTIVE_STATES, Alarm, Device, DeviceStatus, NoiseReading, Position
from apps.gbcp.errors import NotFound
from apps.gbcp.masking import Clearance, clearance_for
from apps.gbcp.selectors import bbox_polygon

MAX_TRACK_POINTS = 20000


def device_list_for_user(*, user, kind=None, q=None, region_code=None):
    qs = scope_queryset(Device.objects.all(), user).select_related("region", "organization", "officer", "place", "grid", "status")
    if kind:
        qs = qs.filter(kind__in=kind if isinstance(kind, (list, tuple)) else [kind])
    if region_code:
        qs = qs.filter(region__code__startswith=region_code)
    if q:
        # Plates are masked below full clearance, so only a full-clearance viewer may search by one (whole).
        found = Q(name__icontains=q) | Q(code=q.strip().upper())
        if clearance_for(user) >= Clearance.FULL:
            found |= Q(vehicle_plate=q.strip().upper())
        qs = qs.filter(found)
    return qs.order_by("code")


def device_get_for_user(*, user, id) -> Device:
    device = device_list_for_user(user=user).filter(pk=id).first()
    if device is None:
        raise NotFound()
    return device


def unit_list_for_user(*, user, bbox=None, kinds=None):
    """The latest state of every device the user may see that has a location: one indexed table, no raw points."""
    qs = scope_queryset(DeviceStatus.objects.all(), user, field="device__region__code").filter(
        point__isnull=False, device__is_active=True
    )
    if kinds:
        qs = qs.filter(device__kind__in=kinds)
    if bbox is not None:
        qs = qs.filter(point__intersects=bbox_polygon(bbox))
    return qs.select_related("device").order_by("device__code")


def track_for_user(*, user, id, start=None, end=None):
    """The device and its positions in [start, end), oldest first (default: the last 24 hours)."""
    device = device_get_for_user(user=user, id=id)
    end = end or timezone.now()
    start = start or end - dt.timedelta(hours=24)
    points = list(
        Position.objects.filter(device=device, recorded_at__gte=start, recorded_at__lt=end)
        .order_by("recorded_at")
        .values_list("recorded_at", "lat", "lon", "speed_kmh", "bearing", "battery")[:MAX_TRACK_POINTS]
    )
    return device, start, end, points


def noise_series_for_user(*, user, id, start=None, end=None):
    """The sensor, its readings in [start, end) and the limits at each reading's time (for the chart)."""
    device = device_get_for_user(user=user, id=id)
    end = end or timezone.now()
    start = start or end - dt.timedelta(hours=24)
    limits = noise.limits_for(device)
    rows = []
    for at, interval_s, laeq, lmax in (
        NoiseReading.objects.filter(device=device, recorded_at__gte=start, recorded_at__lt=end)
        .order_by("recorded_at").values_list("recorded_at", "interval_s", "laeq", "lmax")[:MAX_TRACK_POINTS]
    ):
        limit, night = limits.at(at)
        rows.append((at, interval_s, laeq, lmax, limit, night))
    return device, limits, start, end, rows


def alarm_list_for_user(*, user, state=None, kind=None, device_id=None):
    qs = scope_queryset(Alarm.objects.all(), user).select_related("device", "region")
    if state == "active":
        qs = qs.filter(state__in=ACTIVE_STATES)
    elif state:
        qs = qs.filter(state=state)
    if kind:
        qs = qs.filter(kind=kind)
    if device_id:
        qs = qs.filter(device_id=device_id)
    return qs.order_by("-raised_at", "-id")


def alarm_get_for_user(*, user, id) -> Alarm:
    alarm = alarm_list_for_user(user=user).filter(pk=id).first()
    if alarm is None:
        raise NotFound()
    return alarm
