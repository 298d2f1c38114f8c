"""Claiming and completing a Viewflow step from a service, under a lock, so that of two people acting
at once exactly one wins and the other gets a clear 409.

The services own the domain change (``mutate``); the flow only moves on. The subject (task, case)
is locked by the caller with ``select_for_update``; here the process row is locked with the flow's
``lock_impl`` and the open step is claimed with a conditional update, which also holds on SQLite
where row locks do not exist.
"""
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from viewflow.workflow import lock
from viewflow.workflow.models import Task as FlowTask
from viewflow.workflow.flow import View
from viewflow.workflow.status import PROCESS, STATUS

from apps.gbcp.errors import ApplicationError

# The lock every flow of the project uses: the process row, waited for (not ``nowait``), one attempt.
STEP_LOCK = lock.SelectForUpdateLock(nowait=False, attempts=1)

OPEN = (STATUS.NEW, STATUS.ASSIGNED)
NO_PROCESS = gettext_lazy("This %(subject)s has no workflow.")


def step_complete(*, subject, node, user, mutate, subject_label: str, no_process_message: str = "") -> None:
    """Complete the open step ``node`` of ``subject.process`` as ``user``, running ``mutate()`` in between.

    409 ``illegal_step`` when the subject has no process or the step is not open; 409 ``step_taken``
    when someone else claimed it first. Call inside ``transaction.atomic`` with the subject locked.
    """
    if subject.process_id is None:
        message = str(no_process_message) if no_process_message else _(str(NO_PROCESS)) % {"subject": _(subject_label)}
        raise ApplicationError(message, code="illegal_step", status_code=409)
    flow_class = node.flow_class
    with flow_class.lock_impl(flow_class, subject.process_id):
        open_step = FlowTask.objects.filter(process_id=subject.process_id, flow_task=node, status__in=OPEN).first()
        if open_step is None:
            raise ApplicationError(
                _("The step “%(step)s” is not open for this %(subject)s (status: %(status)s).") % {
                    "step": node.name, "subject": _(subject_label), "status": subject.get_status_display()},
                code="illegal_step", status_code=409,
            )
        claimed = FlowTask.objects.filter(pk=open_step.pk, status__in=OPEN).update(
            status=STATUS.STARTED, owner=user if getattr(user, "pk", None) else None, started=timezone.now())
        if claimed != 1:
            raise ApplicationError(_("Someone else has just done this step."), code="step_taken", status_code=409)
        open_step.refresh_from_db()
        mutate()
        node.activation_class(open_step).execute()


def process_cancel(subject) -> None:
    """Cancel the subject's process and its open steps (a merged task, a refused case)."""
    if subject.process_id is None:
        return
    now = timezone.now()
    with transaction.atomic():
        FlowTask.objects.filter(process_id=subject.process_id, status__in=[*OPEN, STATUS.STARTED]).update(
            status=STATUS.CANCELED, finished=now)
        type(subject.process).objects.filter(pk=subject.process_id).update(status=PROCESS.CANCELED, finished=now)


class PolicyView(View):
    """A human step whose permission is the workflow's policy table: Viewflow's own views and inbox
    ask the same rows the services enforce.

    ``PolicyView(view).Policy(POLICY, "accept", "return", subject=lambda process: process.task)``: a user
    may take and execute the step if the policy allows any of the named steps on the subject.
    """

    _policy = None
    _policy_steps = ()
    _policy_subject = None

    def Policy(self, policy, *steps, subject):
        self._policy, self._policy_steps, self._policy_subject = policy, steps, subject
        return self

    def _allowed(self, user, task) -> bool:
        if self._policy is None:
            return False
        subject = self._policy_subject(task.process)
        return any(self._policy.allows(user, step, subject) for step in self._policy_steps)

    def can_assign(self, user, task):
        return task.owner_id is None and self._allowed(user, task)

    def can_execute(self, user, task):
        return self._allowed(user, task) and (task.owner_id is None or task.owner_id == getattr(user, "pk", None))
