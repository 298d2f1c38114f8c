"""挂账 / 销账: a task that cannot be solved now is put on the ledger with a plan, approved, and written off when solved."""
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.dispatch.models import Deferral, Status, Task, TaskLog
from apps.dispatch.policy import TASK_POLICY
from apps.dispatch.services._common import locked
from apps.dispatch.services.steps import task_feedback
from apps.gbcp.audit import acting_as
from apps.gbcp.errors import ApplicationError


@transaction.atomic
def task_defer(*, user, task: Task, plan: str, target_date) -> Deferral:
    task = locked(task.pk)
    TASK_POLICY.require(user=user, step="defer", subject=task)
    if not (plan or "").strip():
        raise ApplicationError(_("Putting a task on the ledger needs a plan."), code="plan_required")
    if target_date <= timezone.localdate():
        raise ApplicationError(_("The target date must lie in the future."), code="target_date_past")
    with acting_as(user):
        deferral = Deferral.objects.create(task=task, plan=plan.strip(), target_date=target_date, requested_by=user)
        task.status = Status.DEFERRED
        task.save()
        TaskLog.record(task, "defer", user, reason=plan.strip(), target_date=str(target_date))
    return deferral


@transaction.atomic
def deferral_approve(*, user, deferral: Deferral) -> Deferral:
    """The handling squad's leader approves, or a leader whose jurisdiction holds the task."""
    deferral = Deferral.objects.select_for_update().select_related("task").get(pk=deferral.pk)
    if not TASK_POLICY.allows(user, "approve_deferral_as_leader", deferral.task):
        TASK_POLICY.require(user=user, step="approve_deferral", subject=deferral.task)
    if deferral.approved_by_id:
        raise ApplicationError(_("Already approved."), code="already_decided", status_code=409)
    with acting_as(user):
        deferral.approved_by = user
        deferral.save()
        TaskLog.record(deferral.task, "defer_approved", user)
    return deferral


@transaction.atomic
def deferral_write_off(*, user, deferral: Deferral, result: str) -> Task:
    """销账: the deferred problem is solved; the task goes on to verification."""
    deferral = Deferral.objects.select_for_update().get(pk=deferral.pk)
    task = locked(deferral.task_id)
    TASK_POLICY.require(user=user, step="write_off", subject=task, check_state=False)
    if deferral.written_off_at is not None:
        raise ApplicationError(_("Already written off."), code="already_decided", status_code=409)
    TASK_POLICY.require(user=user, step="write_off", subject=task)
    with acting_as(user):
        deferral.written_off_at, deferral.written_off_by = timezone.now(), user
        deferral.save()
        task.status = Status.IN_PROGRESS
        task.save()
        TaskLog.record(task, "write_off", user, reason=result)
    return task_feedback(user=user, task=task, result=result, solved=True)
