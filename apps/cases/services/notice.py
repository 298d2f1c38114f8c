"""The notice of the proposed penalty (告知) and the party's rights after it: statement and defence, a hearing."""
import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.cases import discretion, documents, lawdays
from apps.cases.flows import CaseFlow
from apps.cases.models import Case, CaseLog, CaseRecord, Status
from apps.cases.services._common import complete, illegal, locked, require
from apps.gbcp.audit import acting_as
from apps.gbcp.errors import ApplicationError


@transaction.atomic
def case_notify(*, user, case: Case, at=None) -> Case:
    """告知: the notice of proposed penalty, with the right to state and defend and, for large fines, to a hearing."""
    case = locked(case.pk)
    require(user, "notify", case)
    at = at or timezone.now()
    with acting_as(user):
        def mutate():
            case.status = Status.NOTIFIED
            case.notified_at = at
            case.hearing_eligible = case.fine >= discretion.hearing_threshold(case.party_kind)
            case.save()
            CaseLog.record(case, "notify", user, hearing_eligible=case.hearing_eligible)

        complete(case, CaseFlow.notify, user, mutate)
        documents.issue(case=case, kind="proposed_penalty_notice", user=user)
    return case


@transaction.atomic
def case_statement_record(*, user, case: Case, content: str, waive_hearing=False, recorded_at=None) -> CaseRecord:
    """陈述申辩: what the party said; the party may waive the hearing."""
    case = locked(case.pk)
    require(user, "statement", case)
    if not (content or "").strip():
        raise ApplicationError(_("The record is empty."), code="content_required", details={"content": [_("This field is required.")]})
    with acting_as(user):
        record = CaseRecord.objects.create(case=case, kind=CaseRecord.Kind.STATEMENT, content=content.strip(), interviewee=case.party_name,
                                           recorded_at=recorded_at or timezone.now(), created_by=user)
        if waive_hearing and case.hearing_eligible:
            case.hearing_waived = True
            case.save()
        CaseLog.record(case, "statement", user, waive_hearing=bool(waive_hearing))
    return record


def hearing_request_deadline(case) -> dt.date | None:
    if case.notified_at is None:
        return None
    return lawdays.last_day(case.notified_at, lawdays.HEARING_REQUEST)  # 5 working days (art. 64, art. 85)


def _hearing_available(case):
    if not case.hearing_eligible:
        raise ApplicationError(_("This penalty carries no right to a hearing."), code="hearing_not_available")
    if case.hearing_requested_at is not None:
        raise illegal(_("A hearing was already requested."))


def _hearing_due(case):
    if case.hearing_requested_at is None:
        raise illegal(_("No hearing was requested."))
    if case.hearing_held_at is not None:
        raise illegal(_("The hearing was already held."))


@transaction.atomic
def case_hearing_request(*, user, case: Case, at=None) -> Case:
    """The party asks for a hearing: only with the right to one, and within 5 working days of the notice (arts. 64, 85)."""
    case = locked(case.pk)
    require(user, "hearing_request", case, refusals=[_hearing_available])
    at = at or timezone.now()
    if timezone.localtime(at).date() > hearing_request_deadline(case):
        raise ApplicationError(
            _("A hearing must be requested within 5 working days of the notice (by %(date)s).") % {"date": hearing_request_deadline(case)},
            code="hearing_request_late",
        )
    with acting_as(user):
        case.hearing_requested_at = at
        case.hearing_waived = False
        case.save()
        CaseLog.record(case, "hearing_request", user)
    return case


@transaction.atomic
def case_hearing_hold(*, user, case: Case, record: str, held_at=None) -> CaseRecord:
    """听证: held and recorded."""
    case = locked(case.pk)
    require(user, "hearing", case, refusals=[_hearing_due])
    if not (record or "").strip():
        raise ApplicationError(_("The record is empty."), code="content_required", details={"record": [_("This field is required.")]})
    held_at = held_at or timezone.now()
    with acting_as(user):
        row = CaseRecord.objects.create(case=case, kind=CaseRecord.Kind.HEARING, content=record.strip(), interviewee=case.party_name,
                                        recorded_at=held_at, created_by=user)
        case.hearing_held_at = held_at
        case.save()
        CaseLog.record(case, "hearing_held", user)
    return row
