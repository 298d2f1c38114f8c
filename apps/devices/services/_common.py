"""Private helpers the device service modules share: the ingestion result, the locked latest state and alarm episodes."""
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from apps.devices import events
from apps.devices.models import ACTIVE_STATES, Alarm, Device, DeviceStatus
from apps.gbcp import aftercommit


@dataclass
class IngestResult:
    device: Device
    received: int
    stored: int

    @property
    def duplicates(self):
        return self.received - self.stored


def lock_status(device) -> DeviceStatus:
    status = DeviceStatus.objects.select_for_update().filter(device=device).first()
    if status is None:
        status = DeviceStatus.objects.create(device=device)
    return status


def active_alarms(device) -> dict:
    return {a.kind: a for a in Alarm.objects.filter(device=device, state__in=ACTIVE_STATES)}


def alarm_raise(*, device, kind, severity, message, started_at, at, point=None, details=None) -> Alarm:
    alarm = Alarm.objects.create(
        device=device, region_id=device.region_id, kind=kind, severity=severity, message=message, details=details or {},
        point=point, started_at=started_at, raised_at=at, last_seen_at=at,
    )
    alarm.device, alarm.region = device, device.region
    # The live map hears of the alarm first; its dispatch task is taken in after commit, off the
    # device's request (Celery, enqueued by name; eager in the embedded default), and alarm_task_retry
    # catches failures.
    events.alarm_changed(alarm=alarm, event="alarm.raised")
    if kind in settings.DEVICE_ALARM_TASK_KINDS:
        aftercommit.enqueue("apps.devices.tasks.alarm_to_task", alarm.pk, event="devices:alarm-to-task")
    return alarm


def alarm_touch(alarm, *, at, severity=None, details=None):
    """A continuing episode: no new alarm and no history row per reading, just the latest facts."""
    alarm_note(alarm, at=at, severity=severity, details=details)
    alarm_touch_save(alarm)


def alarm_note(alarm, *, at, severity=None, details=None):
    alarm.last_seen_at = at
    if severity is not None and severity > alarm.severity:
        alarm.severity = severity
    if details:
        alarm.details = {**alarm.details, **details}


def alarm_touch_save(alarm):
    Alarm.objects.filter(pk=alarm.pk).update(last_seen_at=alarm.last_seen_at, severity=alarm.severity, details=alarm.details)
    events.alarm_changed(alarm=alarm, event="alarm.updated")


def alarm_close(alarm, *, user=None, at=None, reason=""):
    alarm.state = Alarm.State.CLEARED
    alarm.cleared_at = at or timezone.now()
    alarm.cleared_by = user if user is not None and user.is_authenticated else None
    alarm.clear_reason = reason[:255]
    alarm.save()
    events.alarm_changed(alarm=alarm, event="alarm.cleared")
