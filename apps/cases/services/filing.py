"""Opening a general-procedure case, editing it before legal review, settling its penalty and filing (立案) or refusing it."""
import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.jurisdiction import covers_code, serves_in
from apps.cases import discretion, documents, numbering
from apps.cases.flows import CaseFlow
from apps.cases.models import Case, CaseLog, Procedure, Status
from apps.cases.services._common import SQUAD_ROLES, complete, forbidden, location, locked, money, require, squad_membership
from apps.cases.services.parties import apply_proposal, party_fields, party_resolve
from apps.gbcp.audit import acting_as
from apps.gbcp.errors import ApplicationError


def case_open(*, user, source: str, cause=None, place=None, point=None, party_entity=None, party_person=None,
              facts: str = "", task=None, source_ref: str = "", discretion_facts=None) -> Case:
    """A general-procedure case awaiting filing approval (待立案审批); starts its workflow."""
    if source not in Case.Source.values:
        raise ApplicationError(_("Unknown source: %(source)s") % {"source": source}, code="unknown_source")
    membership = squad_membership(user) if user is not None else None
    if task is not None:
        # An escalated task: the squad handling it opens the case, wherever routing sent it.
        organization = task.organization
        handles = user.is_superuser or serves_in(user, task.organization_id, SQUAD_ROLES)
        if organization is None or not handles:
            raise forbidden(_("Only an officer of the squad handling the task can open a case from it."))
        if place is None:
            place = task.place
        point = point or task.point
    else:
        organization = membership.organization if membership else None
        if organization is None and not user.is_superuser:
            raise forbidden(_("Only an officer or squad leader of an enforcement squad can open a case."))
    if organization is None:
        raise forbidden(_("Only an officer or squad leader of an enforcement squad can open a case."))
    point, region = location(point, place, organization)
    if task is None and not (user.is_superuser or covers_code(user, region.code)):
        raise forbidden(_("The place lies outside your jurisdiction."))
    now = timezone.now()
    with transaction.atomic(), acting_as(user):
        number, seq, year = numbering.case_number(region.code, now, Procedure.GENERAL)
        case = Case.objects.create(
            number=number, number_seq=seq, year=year, procedure=Procedure.GENERAL, source=source, source_ref=source_ref or "",
            status=Status.PENDING_FILING, cause=cause, place=place, point=point, region=region, region_code=region.code,
            organization=organization, owner=user, task=task, facts=(facts or "").strip(),
            party_entity=party_entity, party_person=party_person, opened_at=now,
            **party_fields(party_entity, party_person),
        )
        case.officers.add(user)
        if discretion_facts or cause is not None:
            apply_proposal(case, discretion_facts or {})
            case.save()
        CaseLog.record(case, "open", user, source=source, task=task.number if task is not None else None)
        case.process = CaseFlow.start.run(case=case)
    return case


@transaction.atomic
def case_update(*, user, case: Case, cause=None, facts=None, discretion_facts=None, party_kind=None, party_name=None,
                party_code=None, major=None, party_address=None) -> Case:
    """The owner edits the facts, cause, party and discretion facts before legal review; the proposal follows."""
    case = locked(case.pk)
    require(user, "update", case)
    with acting_as(user):
        if cause is not None:
            case.cause = cause
        if facts is not None:
            case.facts = facts.strip()
        if major is not None:
            case.major = bool(major)
        if party_kind:
            entity, person, code = party_resolve(party_kind=party_kind, name=party_name, code=party_code)
            case.party_kind, case.party_name, case.party_code = party_kind, party_name.strip(), code
            case.party_entity, case.party_person = entity, person
            if party_address is None:  # the linked register's address unless one is given
                case.party_address = (entity.address if entity else person.address if person else "") or case.party_address
        if party_address is not None:
            case.party_address = party_address.strip()
        proposal = apply_proposal(case, discretion_facts if discretion_facts is not None else case.discretion_facts)
        if proposal is not None and not case.departure_reason:
            case.level, case.fine, case.warning, case.exempt = proposal.level, proposal.amount, proposal.warning, proposal.exempt
        case.save()
        CaseLog.record(case, "update", user)
    return case


@transaction.atomic
def case_set_penalty(*, user, case: Case, level: str, fine, warning=False, exempt=False, departure_reason="") -> Case:
    """The owner settles the penalty to propose; departing from the discretion proposal needs a written reason."""
    case = locked(case.pk)
    require(user, "penalty", case)
    if case.cause_id is None:
        raise ApplicationError(_("Choose the cause first."), code="cause_required")
    fine = money(fine)
    low, high = discretion.fine_range(case.cause)
    # A range of 0–0 means the amount is not a fixed sum (e.g. a share of the construction cost): set by hand.
    if not exempt and not warning and high > 0 and not (low <= fine <= high):
        raise ApplicationError(
            _("The fine must lie within the cause's range of %(low)s to %(high)s yuan.") % {"low": low, "high": high},
            code="fine_out_of_range", details={"fine": [_("Out of range.")]},
        )
    proposal = case.proposal or {}
    departs = (
        level != proposal.get("level") or fine != Decimal(proposal.get("amount", "0"))
        or bool(warning) != bool(proposal.get("warning")) or bool(exempt) != bool(proposal.get("exempt"))
    )
    reason = (departure_reason or "").strip()
    if departs and not reason:
        raise ApplicationError(
            _("This departs from the proposed penalty; give the reason in writing."), code="departure_reason_required",
            details={"departure_reason": [_("This field is required.")]},
        )
    with acting_as(user):
        case.level, case.fine, case.warning, case.exempt = level, (Decimal("0") if (warning or exempt) else fine), bool(warning), bool(exempt)
        case.departure_reason = reason if departs else ""
        case.save()
        CaseLog.record(case, "set_penalty", user, reason=case.departure_reason, level=level, fine=str(case.fine), warning=case.warning,
                       exempt=case.exempt, departs=departs)
    return case


@transaction.atomic
def case_file_approve(*, user, case: Case, at=None) -> Case:
    """The squad leader approves filing (立案); refused when the violation is time-barred (art. 36)."""
    case = locked(case.pk)
    require(user, "file", case)
    if case.cause_id is None:
        raise ApplicationError(_("Choose the cause before filing."), code="cause_required")
    barred, years = discretion.time_bar(cause=case.cause, facts=case.discretion_facts or {})
    if barred:
        raise ApplicationError(
            _("The violation went undiscovered for more than %(years)s years: it is time-barred (art. 36) and cannot be filed.") % {"years": years},
            code="time_barred",
        )
    at = at or timezone.now()
    with acting_as(user):
        def mutate():
            case.status = Status.INVESTIGATING
            case.filed_at = at
            case.decision_due = at + dt.timedelta(days=discretion.DECISION_DAYS)
            case.save()
            CaseLog.record(case, "file", user, decision_due=case.decision_due.isoformat())

        complete(case, CaseFlow.approve_filing, user, mutate)
        documents.issue(case=case, kind="filing_approval", user=user)
    return case


@transaction.atomic
def case_file_refuse(*, user, case: Case, reason: str) -> Case:
    """The squad leader refuses filing (不予立案), with a reason; the case is closed, not filed."""
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("Refusing to file needs a reason."), code="reason_required", details={"reason": [_("This field is required.")]})
    case = locked(case.pk)
    require(user, "refuse", case)
    with acting_as(user):
        def mutate():
            case.status = Status.NOT_FILED
            case.not_filed_reason = reason
            case.closed_at = timezone.now()
            case.save()
            CaseLog.record(case, "refuse_filing", user, reason=reason)

        complete(case, CaseFlow.approve_filing, user, mutate)
    return case
