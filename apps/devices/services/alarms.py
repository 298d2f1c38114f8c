"""Alarms handled by people (acknowledge, clear) and turned into dispatch tasks, once per episode."""
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import Role
from apps.devices import events
from apps.devices.models import ACTIVE_STATES, Alarm, DeviceStatus
from apps.devices.services._common import alarm_close
from apps.dispatch import services as dispatch_services
from apps.gbcp.audit import acting_as
from apps.gbcp.errors import ApplicationError
from apps.gbcp.models import Category

logger = logging.getLogger(__name__)

# Who may acknowledge and clear alarms (analysts only read).
ALARM_HANDLER_ROLES = {Role.DISPATCHER, Role.SQUAD_LEADER, Role.LEADER, Role.OFFICER, Role.SUPERVISOR, Role.ADMINISTRATOR}


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


def _noise_category(night: bool):
    code = settings.DEVICE_NOISE_CATEGORY_NIGHT if night else settings.DEVICE_NOISE_CATEGORY_DAY
    return Category.objects.filter(code=code, is_active=True).first() if code else None


def _dispatch_intake(alarm) -> int | None:
    """The dispatch app's intake makes the episode one task (``None`` if it fails: the retry sweep comes back)."""
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
        alarm_close(alarm, user=user, reason=reason or _("cleared by hand"))
        if alarm.kind == Alarm.Kind.NOISE:
            DeviceStatus.objects.filter(device_id=alarm.device_id).update(noise_over_since=None)
        elif alarm.kind == Alarm.Kind.GEOFENCE:
            DeviceStatus.objects.filter(device_id=alarm.device_id).update(outside_grid_since=None)
    return alarm


def _check_handler(user):
    if user is None or not user.is_authenticated or not user.has_role(*ALARM_HANDLER_ROLES):
        raise ApplicationError(_("You may not handle alarms."), code="permission_denied", status_code=403)


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
