"""Who may do what on a case lead (线索移送): one step table, enforced by the services, shown by the pages and the API
(``actions``) and used by the flow as its permissions; and who may audit data sharing.

Our coordinators (dispatchers, legal reviewers, leaders, squad leaders) act where their jurisdiction holds the lead.
The receiving department acts on a lead handed out to it by its own staff (``*`` steps where=ORGANIZATION, the
policy's organisation being the other department); when it answers on paper or by phone, our coordinators record its
receipt, answer and result on its behalf (``*_for`` steps), with a reference.
"""
from django.utils.translation import gettext_lazy as _

from apps.accounts.jurisdiction import covers_code
from apps.accounts.models import STAFF_ROLES, Role
from apps.coordination.models import Direction, OperationStatus, Status
from apps.workflow.policy import JURISDICTION, ORGANIZATION, Policy, Step

COORDINATORS = (Role.DISPATCHER, Role.LEGAL_REVIEWER, Role.LEADER, Role.SQUAD_LEADER)
DEPARTMENT_STAFF = tuple(sorted(STAFF_ROLES - {Role.ANALYST}))  # whoever serves in the receiving department
AUDITORS = (Role.ADMINISTRATOR, Role.LEADER)  # data sharing: tokens, the access log and exports

SUBJECT_LABEL = _("case lead")


def _out(lead):
    return lead.direction == Direction.OUT


def _in(lead):
    return lead.direction == Direction.IN


LEADS = Policy(
    name="coordination",
    subject_label="case lead",
    owner_id=lambda lead: None,
    organization_id=lambda lead: lead.department_id if lead.direction == Direction.OUT else None,
    steps=(
        # The subject of "create" is the lead about to be made (not saved yet), in its region.
        Step("create", roles=COORDINATORS, where=JURISDICTION, when=lambda lead: lead.pk is None, label=_("Create a case lead"),
             status_message=_("The lead exists already.")),
        Step("document", roles=COORDINATORS, where=JURISDICTION, statuses=(Status.DRAFT,), when=_out, label=_("Add a document"),
             status_message=_("Documents are added while the lead is a draft.")),
        Step("send", roles=COORDINATORS, where=JURISDICTION, statuses=(Status.DRAFT,), when=_out, label=_("Send to the department (移送)"),
             status_message=_("Only a draft can be sent.")),
        Step("acknowledge", roles=DEPARTMENT_STAFF, where=ORGANIZATION, statuses=(Status.SENT,), when=_out, label=_("Sign for receipt (签收)"),
             status_message=_("Only a sent lead can be signed for."), denied_message=_("Only the receiving department may sign for this lead.")),
        Step("acknowledge_for", roles=COORDINATORS, where=JURISDICTION, statuses=(Status.SENT,), when=_out,
             label=_("Record the department's receipt (代为登记签收)"), status_message=_("Only a sent lead can be signed for.")),
        Step("answer", roles=DEPARTMENT_STAFF, where=ORGANIZATION, statuses=(Status.RECEIVED,), when=_out, label=_("Accept or refuse (受理)"),
             status_message=_("Only a received lead can be answered."), denied_message=_("Only the receiving department may answer this lead.")),
        Step("answer_for", roles=COORDINATORS, where=JURISDICTION, statuses=(Status.RECEIVED,), when=_out,
             label=_("Record the department's answer (代为登记答复)"), status_message=_("Only a received lead can be answered.")),
        Step("feedback", roles=DEPARTMENT_STAFF, where=ORGANIZATION, statuses=(Status.ACCEPTED,), when=_out, label=_("Feed back the result (反馈结果)"),
             status_message=_("Only an accepted lead has a result to feed back."),
             denied_message=_("Only the receiving department may feed back the result.")),
        Step("feedback_for", roles=COORDINATORS, where=JURISDICTION, statuses=(Status.ACCEPTED,), when=_out,
             label=_("Record the department's result (代为登记结果)"), status_message=_("Only an accepted lead has a result to feed back.")),
        Step("close", roles=COORDINATORS, where=JURISDICTION, statuses=(Status.RESULT, Status.REFUSED), when=_out, label=_("Close (办结)"),
             status_message=_("Only a lead with a result or a refusal can be closed.")),
        Step("accept_in", roles=COORDINATORS, where=JURISDICTION, statuses=(Status.REGISTERED,), when=_in, label=_("Accept (受理)"),
             status_message=_("Only a registered lead can be accepted.")),
        Step("refuse_in", roles=COORDINATORS, where=JURISDICTION, statuses=(Status.REGISTERED,), when=_in, label=_("Refuse (不予受理)"),
             status_message=_("Only a registered lead can be refused.")),
    ),
)

# The steps a lead's page and the API offer (creating is offered by the list).
LEAD_STEPS = tuple(step.name for step in LEADS if step.name != "create")


def lead_actions(user, lead) -> dict:
    return {name: LEADS.allows(user, name, lead) for name in LEAD_STEPS}


def allowed_lead_steps(user, lead) -> list[str]:
    return [name for name, allowed in lead_actions(user, lead).items() if allowed]


def may_audit(user, region_code: str | None = None) -> bool:
    """An administrator or leader (for ``region_code``: one whose jurisdiction holds it) may see tokens and the log."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    if not user.has_role(*AUDITORS):
        return False
    return region_code is None or covers_code(user, region_code)


# Names of the log's actions, for the history (never the raw codes).
ACTION_LABELS = {
    "create": _("created"), "register": _("registered"), "document": _("document added"), "send": _("sent"),
    "acknowledge": _("receipt signed"), "accept": _("accepted"), "refuse": _("refused"), "feedback": _("result fed back"),
    "close": _("closed"), "receipt_reminder": _("reminder: receipt due soon"), "receipt_overdue": _("warning: receipt overdue"),
    "feedback_reminder": _("reminder: result due soon"), "feedback_overdue": _("warning: result overdue"),
}


# --- joint operations (联合执法) ----------------------------------------------------------------------------------------

PLANNERS = (Role.SQUAD_LEADER, Role.LEADER, Role.DISPATCHER)  # plan, report, close and cancel an operation
ON_SITE = (OperationStatus.PLANNED, OperationStatus.UNDER_WAY)

OPERATIONS = Policy(
    name="joint-operations",
    subject_label="joint operation",
    owner_id=lambda operation: None,
    steps=(
        # The subject of "create" is the operation about to be made, in its area's region.
        Step("create", roles=PLANNERS, where=JURISDICTION, when=lambda op: op.pk is None, label=_("Plan a joint operation"),
             status_message=_("The operation exists already.")),
        Step("report", roles=PLANNERS, where=JURISDICTION, statuses=(OperationStatus.UNDER_WAY,), label=_("Report (总结报告)"),
             status_message=_("Only an operation under way can be reported.")),
        Step("close", roles=PLANNERS, where=JURISDICTION, statuses=(OperationStatus.REPORTED,), label=_("Close (结束)"),
             status_message=_("Only a reported operation can be closed.")),
        Step("cancel", roles=PLANNERS, where=JURISDICTION, statuses=ON_SITE, label=_("Cancel (取消)"),
             status_message=_("Only a planned operation or one under way can be cancelled.")),
    ),
)

# What participants do on site: each may check in once and record findings, in the window, while the operation is on.
PARTICIPANT_STEPS = {
    "check_in": _("Check in on site (签到)"),
    "finding": _("Record a finding (发现问题)"),
}
PLANNER_STEPS = ("report", "close", "cancel")


def is_participant(user, operation) -> bool:
    """Whether ``user`` is among the operation's people (the operation's ``attendance`` should be prefetched)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return any(row.user_id == user.pk for row in operation.attendance.all())


def participant_step_open(name: str, operation, now=None) -> bool:
    return operation.status in ON_SITE and operation.in_window(now)


def operation_actions(user, operation, now=None) -> dict:
    """``{step: allowed}`` for the operation's page and the API: the planners' steps and the participants' ones."""
    actions = {name: OPERATIONS.allows(user, name, operation) for name in PLANNER_STEPS}
    participant = is_participant(user, operation) or getattr(user, "is_superuser", False)
    for name in PARTICIPANT_STEPS:
        actions[name] = participant and participant_step_open(name, operation, now)
    if actions["check_in"]:
        row = next((r for r in operation.attendance.all() if r.user_id == user.pk), None)
        actions["check_in"] = row is not None and row.checked_in_at is None
    return actions


OPERATION_ACTION_LABELS = {
    "create": _("planned"), "check_in": _("checked in"), "start": _("under way"), "finding_task": _("finding handed on as a task"),
    "finding_case": _("finding opened as a case"), "report": _("reported"), "close": _("closed"), "cancel": _("cancelled"),
}
