"""吹哨报到: the street office of the task's street summons departments; each reports in within the set time."""
import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.dispatch import events, selectors
from apps.dispatch.models import Task, TaskLog, Whistle, WhistleSummons
from apps.dispatch.policy import WHISTLE_POLICY
from apps.dispatch.services._common import locked
from apps.gbcp.audit import acting_as
from apps.gbcp.errors import ApplicationError


@transaction.atomic
def whistle_blow(*, user, task: Task, departments, reason: str, minutes: int | None = None) -> Whistle:
    """A street office summons departments; each must report in within the set time."""
    task = locked(task.pk)
    WHISTLE_POLICY.require(user=user, step="blow", subject=task)
    office = selectors.street_office_for_task(task)
    if office is None:  # a superuser, on a task in no street
        raise ApplicationError(WHISTLE_POLICY.denied_message(WHISTLE_POLICY.step("blow")), code="forbidden", status_code=403)
    departments = list(departments)
    if not departments or not (reason or "").strip():
        raise ApplicationError(_("Name the departments and the reason."), code="invalid")
    minutes = minutes or settings.DISPATCH_WHISTLE_MINUTES
    with acting_as(user):
        whistle = Whistle.objects.create(task=task, blown_by=user, street_office=office, reason=reason.strip())
        due = whistle.blown_at + dt.timedelta(minutes=minutes)
        for department in departments:
            WhistleSummons.objects.create(whistle=whistle, department=department, due_at=due)
        TaskLog.record(task, "whistle", user, reason=reason.strip(), departments=[d.name for d in departments], minutes=minutes)
    events.whistle_blown(whistle, departments)
    return whistle


@transaction.atomic
def summons_report_in(*, user, summons: WhistleSummons, at=None) -> WhistleSummons:
    summons = WhistleSummons.objects.select_for_update().select_related("whistle__task").get(pk=summons.pk)
    WHISTLE_POLICY.require(user=user, step="report_in", subject=summons, check_state=False)
    if not WHISTLE_POLICY.is_open("report_in", summons):
        raise ApplicationError(_("Already reported in."), code="already_reported", status_code=409)
    at = at or timezone.now()
    with acting_as(user):
        summons.reported_at, summons.reported_by = at, user
        late = (at - summons.due_at).total_seconds()
        summons.late_minutes = int(late // 60) + (1 if late % 60 else 0) if late > 0 else 0
        summons.save()
        TaskLog.record(summons.whistle.task, "report_in", user, department=summons.department.name, late_minutes=summons.late_minutes)
    return summons
