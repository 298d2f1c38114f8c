"""Investigation (调查取证): the officers, their records and evidence, and sending the case to legal review."""
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.jurisdiction import serves_in
from apps.accounts.models import Role
from apps.accounts.selectors import require_certified
from apps.cases import events
from apps.cases.flows import CaseFlow
from apps.cases.models import Case, CaseLog, CaseRecord, Status
from apps.cases.services._common import SQUAD_ROLES, complete, locked, require
from apps.evidence import services as evidence_services
from apps.gbcp.audit import acting_as
from apps.gbcp.errors import ApplicationError


@transaction.atomic
def case_assign_officers(*, user, case: Case, officers) -> Case:
    """The squad leader or the owner names the investigating officers (at least two, art. 42)."""
    case = locked(case.pk)
    require(user, "officers", case)
    officers = list(officers)
    for officer in officers:
        if not serves_in(officer, case.organization_id, SQUAD_ROLES):
            raise ApplicationError(_("%(name)s is not an officer of the handling squad.") % {"name": officer}, code="not_squad_officer")
    # Each investigating officer shows a valid enforcement certificate (执法证) covering the case's area (art. 42).
    require_certified(officers, case.region_code)
    with acting_as(user):
        case.officers.add(*officers)
        CaseLog.record(case, "assign", user, officers=[str(o) for o in officers])
    return case


@transaction.atomic
def case_record_add(*, user, case: Case, kind: str, content: str, interviewee="", location="", recorded_at=None, officers=None) -> CaseRecord:
    """An inquiry (询问笔录) or on-site inspection record (现场检查笔录), made by at least two officers."""
    case = locked(case.pk)
    require(user, "records", case)
    if kind not in (CaseRecord.Kind.INQUIRY, CaseRecord.Kind.INSPECTION):
        raise ApplicationError(_("Unknown record kind."), code="invalid_kind")
    if not (content or "").strip():
        raise ApplicationError(_("The record is empty."), code="content_required", details={"content": [_("This field is required.")]})
    officers = list(officers) if officers is not None else list(case.officers.all())
    if len({o.pk for o in officers}) < 2:
        raise ApplicationError(_("An inquiry or inspection needs at least two officers (art. 42)."), code="two_officers_required")
    with acting_as(user):
        record = CaseRecord.objects.create(
            case=case, kind=kind, content=content.strip(), interviewee=interviewee, location=location,
            recorded_at=recorded_at or timezone.now(), created_by=user,
        )
        record.officers.set(officers)
        CaseLog.record(case, f"record_{kind}", user, record=record.pk)
    return record


def case_evidence_add(*, user, case: Case, files, note="", point=None, captured_at=None, device=""):
    """Evidence files of the case, through the evidence log (存证固证)."""
    case = Case.objects.select_related("organization").get(pk=case.pk)
    require(user, "evidence", case)
    items = evidence_services.evidence_record_many(
        user=user, files=files, subject=case, region_code=case.region_code, captured_at=captured_at, point=point, device=device, note=note,
    )
    with transaction.atomic():
        CaseLog.record(case, "evidence", user, count=len(items))
    return items


@transaction.atomic
def case_submit_review(*, user, case: Case) -> Case:
    """The owner sends the investigated case to legal review (法制审核)."""
    case = locked(case.pk)
    require(user, "submit", case)
    if case.officers.count() < 2:
        raise ApplicationError(_("At least two officers must investigate the case (art. 42)."), code="two_officers_required")
    if not case.records.filter(kind__in=[CaseRecord.Kind.INQUIRY, CaseRecord.Kind.INSPECTION]).exists():
        raise ApplicationError(_("Record at least one inquiry or on-site inspection first."), code="records_required")
    if not case.party_kind:
        raise ApplicationError(_("Identify the party first."), code="party_required")
    if not (case.fine > 0 or case.warning or case.exempt):
        raise ApplicationError(_("Settle the proposed penalty first."), code="penalty_required")
    with acting_as(user):
        def mutate():
            case.status = Status.LEGAL_REVIEW
            case.save()
            CaseLog.record(case, "submit_review", user)

        complete(case, CaseFlow.investigate, user, mutate)
    events.case_step(case, _("Case %(number)s awaits legal review") % {"number": case.number}, roles=[Role.LEGAL_REVIEWER])
    return case
