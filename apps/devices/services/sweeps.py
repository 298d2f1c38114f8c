"""Sweeps over all devices: offline alarms for the silent ones, pruning raw readings past retention."""
import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.devices.models import ACTIVE_STATES, Alarm, DeviceStatus, NoiseReading, Position
from apps.devices.services._common import alarm_raise
from apps.gbcp.audit import acting_as


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
            alarm_raise(
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
