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


def _hearing_outstanding(case):
    if case.hearing_requested_at is None:
        raise illegal(_("No hearing was requested."))
    if case.hearing_withdrawn_at is not None:
        raise illegal(_("The hearing request was withdrawn."))
    if case.hearing_held_at is not None:
        raise illegal(_("The hearing was already held."))


def _hearing_scheduled(case):
    _hearing_outstanding(case)
    if case.hearing_scheduled_for is None:
        raise illegal(_("Schedule the hearing and notify the party of its time and place first (art. 64)."))


def earliest_hearing_day(notice_at) -> dt.date:
    """Art. 64(2), 85: the party is told 7 working days before; the hearing may be held on the 7th working day after the
    day of the notice, or later."""
    return lawdays.last_day(notice_at, lawdays.HEARING_NOTICE)


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
def case_hearing_schedule(*, user, case: Case, scheduled_for, place: str, presiding, notice_at=None) -> Case:
    """The organ fixes the hearing's time and place, tells the party at least 7 working days before (arts. 64(2), 85),
    and names a presiding officer (主持人) who did not investigate the case (art. 64(4)). Scheduling again (a new date)
    is a new notice under the same rule."""
    case = locked(case.pk)
    require(user, "hearing_schedule", case, refusals=[_hearing_outstanding])
    notice_at = notice_at or timezone.now()
    if not (place or "").strip():
        raise ApplicationError(_("Give the place of the hearing."), code="place_required", details={"place": [_("This field is required.")]})
    if presiding is None:
        raise ApplicationError(_("Name the presiding officer."), code="presiding_required", details={"presiding": [_("This field is required.")]})
    if presiding.pk == case.owner_id or case.officers.filter(pk=presiding.pk).exists():
        raise ApplicationError(_("The presiding officer must not be one of the case's investigating officers (art. 64)."),
                               code="presiding_is_investigator", details={"presiding": [_("Choose someone who did not investigate the case.")]})
    earliest = earliest_hearing_day(notice_at)
    if scheduled_for is None or timezone.localtime(scheduled_for).date() < earliest:
        raise ApplicationError(
            _("The party must be notified at least 7 working days before the hearing: with notice today the earliest day is %(date)s.") % {"date": earliest},
            code="hearing_notice_short", details={"scheduled_for": [_("On or after %(date)s.") % {"date": earliest}]},
        )
    with acting_as(user):
        rescheduled = case.hearing_scheduled_for is not None
        case.hearing_scheduled_for, case.hearing_place, case.hearing_presiding = scheduled_for, place.strip(), presiding
        case.hearing_notice_at = notice_at
        case.save()
        CaseLog.record(case, "hearing_schedule", user, scheduled_for=scheduled_for.isoformat(), place=place.strip(),
                       presiding=str(presiding), rescheduled=rescheduled)
        # Art. 64(2): the notice of the hearing's time and place, a numbered and signed document like the others.
        documents.issue(case=case, kind="hearing_notice", user=user)
    return case


@transaction.atomic
def case_hearing_withdraw(*, user, case: Case, reason: str) -> Case:
    """The party withdraws the request, or is taken to have given up the hearing by not attending without good reason
    or leaving without leave (art. 64(8)); the decision then need not wait for a hearing record."""
    case = locked(case.pk)
    require(user, "hearing_withdraw", case, refusals=[_hearing_outstanding])
    if not (reason or "").strip():
        raise ApplicationError(_("Say how the party withdrew or failed to attend."), code="reason_required", details={"reason": [_("This field is required.")]})
    with acting_as(user):
        case.hearing_withdrawn_at, case.hearing_waived = timezone.now(), True
        case.save()
        CaseLog.record(case, "hearing_withdraw", user, reason=reason.strip())
    return case


@transaction.atomic
def case_hearing_hold(*, user, case: Case, record: str, held_at=None) -> CaseRecord:
    """听证: held on (or after) the day the party was notified of, under the presiding officer, and recorded (听证笔录)."""
    case = locked(case.pk)
    require(user, "hearing", case, refusals=[_hearing_scheduled])
    if not (record or "").strip():
        raise ApplicationError(_("The record is empty."), code="content_required", details={"record": [_("This field is required.")]})
    held_at = held_at or timezone.now()
    scheduled_day = timezone.localtime(case.hearing_scheduled_for).date()
    if timezone.localtime(held_at).date() < scheduled_day:
        raise illegal(_("The hearing is scheduled for %(date)s; it cannot be held before the day the party was notified of.") % {"date": scheduled_day})
    with acting_as(user):
        row = CaseRecord.objects.create(case=case, kind=CaseRecord.Kind.HEARING, content=record.strip(), interviewee=case.party_name,
                                        location=case.hearing_place, recorded_at=held_at, created_by=user)
        row.officers.add(case.hearing_presiding_id)
        case.hearing_held_at = held_at
        case.save()
        CaseLog.record(case, "hearing_held", user, presiding=str(case.hearing_presiding))
        # Arts. 64(8), 65: the hearing record (听证笔录), which the decision is made on, as a numbered and signed document.
        documents.issue(case=case, kind="hearing_record", user=user)
    return row
