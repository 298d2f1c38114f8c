"""Who may do what in the task centre: the task workflow's and the whistle's step tables, enforced by the
services, shown by the pages and the API (``actions``) and used by the flow as its permissions.

Dispatchers act where their jurisdiction holds the task; the squad acts on the tasks its organisation
handles; the street office of the task's street blows the whistle and the summoned departments report in.
Superusers may do every step; the states still apply to them.
"""
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import STAFF_ROLES, Role
from apps.dispatch.models import OPEN_STATUSES, Status, WhistleSummons
from apps.dispatch.selectors import street_office_for_task
from apps.workflow.policy import JURISDICTION, ORGANIZATION, Policy, Step

DISPATCHERS = (Role.DISPATCHER,)
HANDLERS = (Role.SQUAD_LEADER, Role.OFFICER)  # the handling organisation's squad
ANY_STAFF = tuple(sorted(STAFF_ROLES))
HANDLING = (Status.ACCEPTED, Status.IN_PROGRESS)


def task_region_code(task) -> str:
    """A task without a place lies with the city: only a dispatcher of the whole city holds it."""
    return task.region_code or settings.CITY_REGION_CODE[:4]


DISPATCHER_ONLY = _("Only a dispatcher whose jurisdiction holds this task may do this.")

TASK_POLICY = Policy(
    name="dispatch task",
    subject_label="task",
    region_code=task_region_code,
    steps=(
        Step("set_category", roles=DISPATCHERS, where=JURISDICTION, denied_message=DISPATCHER_ONLY, statuses=(Status.NEW,), label=_("Set the category"),
             status_message=_("The category can only change before dispatch.")),
        Step("dispatch", roles=DISPATCHERS, where=JURISDICTION, denied_message=DISPATCHER_ONLY, statuses=(Status.NEW,), label=_("Dispatch"),
             status_message=_("Only a new task can be dispatched.")),
        Step("accept", roles=HANDLERS, where=ORGANIZATION, statuses=(Status.DISPATCHED,), label=_("Accept"),
             status_message=_("Only a dispatched task can be accepted.")),
        Step("return", roles=HANDLERS, where=ORGANIZATION, statuses=(Status.DISPATCHED,), label=_("Return"),
             status_message=_("Only a dispatched task can be returned.")),
        Step("arrive", roles=HANDLERS, where=ORGANIZATION, statuses=HANDLING, label=_("Arrived"),
             status_message=_("Only an accepted task can be started.")),
        Step("feedback", roles=HANDLERS, where=ORGANIZATION, statuses=HANDLING, label=_("Send feedback"),
             status_message=_("Feedback is only possible while the task is being handled.")),
        Step("refer", roles=HANDLERS, where=ORGANIZATION, statuses=HANDLING, label=_("Refer"),
             status_message=_("Only a task being handled can be referred.")),
        Step("escalate", roles=HANDLERS, where=ORGANIZATION, statuses=HANDLING, label=_("Escalate to a case"),
             status_message=_("Only a task being handled can be escalated to a case.")),
        Step("defer", roles=HANDLERS, where=ORGANIZATION, statuses=HANDLING, label=_("Defer"),
             status_message=_("Only a task being handled can be put on the ledger.")),
        # A deferral is approved by the handling squad's leader, or by a leader whose jurisdiction holds the task.
        Step("approve_deferral", roles=(Role.SQUAD_LEADER,), where=ORGANIZATION, label=_("Approve")),
        Step("approve_deferral_as_leader", roles=(Role.LEADER,), where=JURISDICTION, label=_("Approve")),
        Step("write_off", roles=HANDLERS, where=ORGANIZATION, statuses=(Status.DEFERRED,), label=_("Write off (销账)"),
             status_message=_("The task is not on the ledger.")),
        Step("verify", roles=DISPATCHERS, where=JURISDICTION, denied_message=DISPATCHER_ONLY, statuses=(Status.FEEDBACK,), label=_("Verify"),
             status_message=_("Only a task awaiting verification can be verified.")),
        # A suggested duplicate: kept apart at any time, merged only before dispatch.
        Step("keep_apart", roles=DISPATCHERS, where=JURISDICTION, denied_message=DISPATCHER_ONLY, label=_("Keep apart")),
        Step("merge", roles=DISPATCHERS, where=JURISDICTION, denied_message=DISPATCHER_ONLY, statuses=(Status.NEW,), label=_("Merge into it"),
             status_message=_("Only a task not yet dispatched can be merged into an open task.")),
    ),
)


def _whistle_organization_id(subject):
    """Blowing: the street office of the task's street; reporting in: the summoned department."""
    if isinstance(subject, WhistleSummons):
        return subject.department_id
    office = street_office_for_task(subject)
    return office.pk if office is not None else None


# 吹哨报到. Two subjects: a whistle is blown on a task, a summons is reported in on.
WHISTLE_POLICY = Policy(
    name="whistle",
    subject_label="whistle",
    region_code=lambda subject: getattr(subject, "region_code", "") or "",
    organization_id=_whistle_organization_id,
    owner_id=lambda subject: None,
    steps=(
        Step("blow", roles=ANY_STAFF, where=ORGANIZATION, statuses=tuple(OPEN_STATUSES), label=_("Blow the whistle"),
             status_message=_("The task is not open."),
             denied_message=_("Only the street office of the task's street can blow the whistle.")),
        # Its "already reported in" has a code of its own (already_reported), said by the service.
        Step("report_in", roles=ANY_STAFF, where=ORGANIZATION, when=lambda summons: summons.reported_at is None,
             label=_("Report in"), denied_message=_("Only the summoned department can report in.")),
    ),
)


def task_actions(user, task) -> dict:
    """``{step: allowed}`` of every step the task page offers: the task's own and blowing the whistle on it."""
    return {**TASK_POLICY.actions(user, task), "blow": WHISTLE_POLICY.allows(user, "blow", task)}


def allowed_task_steps(user, task) -> list[str]:
    """The names of the steps ``user`` may do on the task now (the API's ``actions``)."""
    return [name for name, allowed in task_actions(user, task).items() if allowed]
