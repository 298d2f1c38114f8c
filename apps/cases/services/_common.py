"""What the case services share: the locked case, the policy guard, completing a workflow step, money and places."""
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.jurisdiction import staff_memberships
from apps.accounts.models import Role
from apps.cases.flows import CaseFlow
from apps.cases.models import Case, CaseLog, Procedure, Status
from apps.cases.policy import POLICIES, policy_for
from apps.gbcp.errors import ApplicationError
from apps.gbcp.locate import locate
from apps.gbcp.models import Organization
from apps.workflow.steps import step_complete

SQUAD_ROLES = (Role.OFFICER, Role.SQUAD_LEADER)
NO_WORKFLOW = gettext_lazy("This case has no workflow (simple procedure).")


def illegal(message):
    return ApplicationError(message, code="illegal_step", status_code=409)


def forbidden(message):
    return ApplicationError(message, code="forbidden", status_code=403)


def locked(case_id) -> Case:
    return Case.objects.select_for_update(of=("self",)).select_related("cause", "organization", "region", "owner").get(pk=case_id)


def require(user, step: str, case, *, refusals=()) -> None:
    """The policy table's guard for ``step`` on ``case`` (403 for the wrong person, 409 out of turn).

    ``refusals`` are the step's own precise answers (``refusal(case)`` raises), said to the right person
    while the case is in one of the step's statuses, before the table's general 409: "a hearing was
    already requested" rather than "not allowed now".
    """
    policy = policy_for(case)
    if step not in policy.by_name:  # a step of the other procedure: its own table answers (never open for this case)
        policy = next(table for table in POLICIES.values() if step in table.by_name)
    if refusals:
        policy.require(user=user, step=step, subject=case, check_state=False)
        statuses = policy.step(step).statuses
        if not statuses or policy.status(case) in statuses:
            for refusal in refusals:
                refusal(case)
    policy.require(user=user, step=step, subject=case)


def complete(case: Case, node, user, mutate) -> None:
    """Complete the open step ``node`` of the case's process as ``user``, running ``mutate()`` in between."""
    step_complete(subject=case, node=node, user=user, mutate=mutate, subject_label="case", no_process_message=NO_WORKFLOW)


def mark_executed(case, user, action, **data):
    """The fine is paid or enforced: an executing case is executed (its workflow moves on)."""
    def mutate():
        case.status = Status.EXECUTED
        case.executed_at = timezone.now()
        case.save()
        CaseLog.record(case, action, user, **data)

    if case.status != Status.EXECUTING:
        # Paid before service (general) or before filing with the organisation (simple): the case
        # moves on when that step is done.
        CaseLog.record(case, action, user, **data)
    elif case.procedure == Procedure.GENERAL:
        complete(case, CaseFlow.execute, user, mutate)
    else:
        mutate()


def money(value) -> Decimal:
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        raise ApplicationError(_("Not an amount of money."), code="invalid_amount", details={"amount": [_("Enter a number.")]})


def squad_membership(user, roles=SQUAD_ROLES):
    """The user's membership of an enforcement squad with one of ``roles`` (else any such membership)."""
    memberships = staff_memberships(user, roles)
    return next((m for m in memberships if m.organization.kind == Organization.Kind.ENFORCEMENT_TEAM), None) or next(iter(memberships), None)


def location(point, place, organization):
    """(point, region) of a new case: the point's region, else the place's, else the squad's."""
    if point is None and place is not None:
        point = place.point
    if point is not None:
        found = locate(point)
        if not found.found:
            raise ApplicationError(_("The point lies outside the city."), code="outside_city")
        return point, found.region
    if place is not None:
        return None, place.region
    return None, organization.region
