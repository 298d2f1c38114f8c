"""Legal review (法制审核), the collective discussion of a major case (集体讨论) and the leader's approval or return."""
from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.models import Role
from apps.cases import events
from apps.cases.flows import CaseFlow
from apps.cases.models import Case, CaseLog, Status
from apps.cases.services._common import complete, locked, require
from apps.gbcp.audit import acting_as
from apps.gbcp.errors import ApplicationError


def _no_reason():
    return ApplicationError(_("Returning a case needs a reason."), code="reason_required", details={"reason": [_("This field is required.")]})


@transaction.atomic
def case_legal_review(*, user, case: Case, passed: bool, reason: str = "") -> Case:
    """法制审核: pass on to the leader, or return to investigation with a reason."""
    case = locked(case.pk)
    require(user, "review", case)
    reason = (reason or "").strip()
    if not passed and not reason:
        raise _no_reason()
    with acting_as(user):
        def mutate():
            case.status = Status.LEADER_APPROVAL if passed else Status.INVESTIGATING
            case.save()
            CaseLog.record(case, "legal_pass" if passed else "legal_return", user, reason=reason)

        complete(case, CaseFlow.legal_review, user, mutate)
    if passed:
        events.case_step(case, _("Case %(number)s awaits your approval") % {"number": case.number}, roles=[Role.LEADER])
    else:
        events.case_step(case, _("Case %(number)s returned by legal review") % {"number": case.number}, body=reason, level="warning")
    return case


@transaction.atomic
def case_collective_discussion(*, user, case: Case, date, attendees: str, conclusion: str) -> Case:
    """集体讨论 of a major case, recorded before the leader approves."""
    case = locked(case.pk)
    require(user, "discussion", case)
    if not (attendees or "").strip() or not (conclusion or "").strip() or date is None:
        raise ApplicationError(_("Record the date, the attendees and the conclusion."), code="discussion_incomplete")
    with acting_as(user):
        case.discussion_date, case.discussion_attendees, case.discussion_conclusion = date, attendees.strip(), conclusion.strip()
        case.save()
        CaseLog.record(case, "collective_discussion", user, date=str(date))
    return case


@transaction.atomic
def case_leader_approve(*, user, case: Case) -> Case:
    """The leader approves the proposed penalty; a major case needs its collective discussion first."""
    case = locked(case.pk)
    require(user, "approve", case)
    if case.major and not case.discussion_conclusion:
        raise ApplicationError(_("A major case needs its collective discussion recorded before approval."), code="discussion_required")
    with acting_as(user):
        def mutate():
            case.status = Status.APPROVED
            case.save()
            CaseLog.record(case, "leader_approve", user)

        complete(case, CaseFlow.leader_approval, user, mutate)
    return case


@transaction.atomic
def case_leader_return(*, user, case: Case, reason: str) -> Case:
    """The leader returns the case to legal review, with a reason."""
    reason = (reason or "").strip()
    if not reason:
        raise _no_reason()
    case = locked(case.pk)
    require(user, "return", case)
    with acting_as(user):
        def mutate():
            case.status = Status.LEGAL_REVIEW
            case.save()
            CaseLog.record(case, "leader_return", user, reason=reason)

        complete(case, CaseFlow.leader_approval, user, mutate)
    return case
