"""Ingesting noise readings and the alarm rule of GB 12523 over them."""
import datetime as dt
from collections import deque

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.devices import events, noise, storage
from apps.devices.models import Alarm, Device, NoiseReading
from apps.devices.services._common import (
    IngestResult,
    active_alarms,
    alarm_close,
    alarm_note,
    alarm_raise,
    alarm_touch_save,
    lock_status,
)
from apps.gbcp.errors import ApplicationError


@transaction.atomic
def noise_ingest(*, device: Device, readings, now=None) -> IngestResult:
    """Store readings once each and run the alarm rule over the new ones, in time order."""
    if device.kind != Device.Kind.NOISE_SENSOR:
        raise ApplicationError(_("This device does not measure noise."), code="wrong_device_kind")
    now = now or timezone.now()
    stored = storage.insert_noise(device.pk, readings, now)
    status = lock_status(device)
    status.last_seen_at = now
    active = active_alarms(device)
    if Alarm.Kind.OFFLINE in active:
        alarm_close(active.pop(Alarm.Kind.OFFLINE), at=now, reason=_("the device reports again"))
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
                alarm_note(alarm, at=at, severity=severity, details=facts)
                touched = True
            elif over_lmax or at - status.noise_over_since >= sustain:
                reason = _("night Lmax over the limit by more than 15 dB(A)") if over_lmax and not over_leq else _("LAeq over the limit")
                alarm = alarm_raise(
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
                alarm_close(alarm, at=at, reason=_("below the limit for %(minutes)d minutes") % {"minutes": clear_after.total_seconds() // 60})
                alarm, touched = None, False  # closing saves the whole alarm, facts included
    if alarm is not None and touched:
        alarm_touch_save(alarm)
