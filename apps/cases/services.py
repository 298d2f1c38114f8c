"""Every write of enforcement cases: the catalogue loader, opening and filing, the general-procedure
steps, the on-the-spot (simple) procedure, extensions, documents, payments and the deadline sweep."""
import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.jurisdiction import covers_code, serves_in, staff_memberships
from apps.accounts.models import Role
from apps.cases import discretion, documents, events
from apps.cases.models import (
    Case,
    CaseCause,
    CaseExtension,
    CaseLog,
    CaseNumberSequence,
    CaseRecord,
    DiscretionLevel,
    PartyKind,
    Payment,
    PaymentNotice,
    Procedure,
    Status,
)
from apps.cases.payment_provider import get_provider, new_payment_reference
from apps.gbcp.audit import acting_as
from apps.gbcp.errors import ApplicationError
from apps.gbcp.models import Entity, Organization, Person, Region
from apps.gbcp.validators import is_valid_resident_id, is_valid_uscc

SQUAD_ROLES = (Role.OFFICER, Role.SQUAD_LEADER)


# --- helpers --------------------------------------------------------------------------

def _next_seq(key: str) -> int:
    """A per-key counter taken in one statement (UPDATE … RETURNING) under the row lock, as dispatch numbers tasks."""
    table = CaseNumberSequence._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET last = last + 1 WHERE key = %s RETURNING last", [key])
        row = cursor.fetchone()
        if row is None:
            CaseNumberSequence.objects.get_or_create(key=key)
            cursor.execute(f"UPDATE {table} SET last = last + 1 WHERE key = %s RETURNING last", [key])
            row = cursor.fetchone()
    return row[0]


def _district(region_code: str) -> Region | None:
    return Region.objects.filter(code=region_code[:6]).first()


def _log(case, action, user=None, reason="", **data):
    return CaseLog.objects.create(case=case, action=action, actor=user if getattr(user, "pk", None) else None, reason=reason, data=data)


def _illegal(message):
    return ApplicationError(message, code="illegal_step", status_code=409)


def _forbidden(message):
    return ApplicationError(message, code="forbidden", status_code=403)


def _squad_membership(user, roles=SQUAD_ROLES):
    memberships = staff_memberships(user, roles)
    return next((m for m in memberships if m.organization.kind == Organization.Kind.ENFORCEMENT_TEAM), None) or next(iter(memberships), None)


def _require_squad(user, case, roles=SQUAD_ROLES):
    """A member of the handling squad with one of ``roles``."""
    if user is not None and user.is_superuser:
        return
    if user is None or not serves_in(user, case.organization_id, roles):
        raise _forbidden(_("Only the handling squad's %(roles)s may do this.") % {"roles": "/".join(str(Role(r).label) for r in roles)})


def _require_role(user, case, role):
    """A holder of ``role`` whose jurisdiction holds the case (legal reviewer, leader)."""
    if user is not None and user.is_superuser:
        return
    if user is None or not (user.has_role(role) and covers_code(user, case.region_code)):
        raise _forbidden(_("Only a %(role)s whose jurisdiction holds this case may do this.") % {"role": Role(role).label})


def _locked(case_id) -> Case:
    return Case.objects.select_for_update(of=("self",)).select_related("cause", "organization", "region", "owner").get(pk=case_id)


def _complete_step(case: Case, node, user, mutate):
    """Complete the open Viewflow step ``node`` of the case's process as ``user`` (claimed by a conditional update)."""
    from viewflow.workflow.models import Task as FlowTask
    from viewflow.workflow.status import STATUS

    if case.process_id is None:
        raise _illegal(_("This case has no workflow (simple procedure)."))
    open_step = FlowTask.objects.filter(process_id=case.process_id, flow_task=node, status__in=[STATUS.NEW, STATUS.ASSIGNED]).first()
    if open_step is None:
        raise _illegal(_("The step “%(step)s” is not open for this case (status: %(status)s).") % {"step": node.name, "status": case.get_status_display()})
    claimed = FlowTask.objects.filter(pk=open_step.pk, status__in=[STATUS.NEW, STATUS.ASSIGNED]).update(
        status=STATUS.STARTED, owner=user if getattr(user, "pk", None) else None, started=timezone.now()
    )
    if claimed != 1:
        raise ApplicationError(_("Someone else has just done this step."), code="step_taken", status_code=409)
    open_step.refresh_from_db()
    mutate()
    node.activation_class(open_step).execute()


def _require_status(case, *statuses):
    if case.status not in statuses:
        raise _illegal(_("This step is not allowed while the case is %(status)s.") % {"status": case.get_status_display()})


def _money(value) -> Decimal:
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        raise ApplicationError(_("Not an amount of money."), code="invalid_amount", details={"amount": [_("Enter a number.")]})


# --- catalogue ------------------------------------------------------------------------

@transaction.atomic
def cause_confirm_citations(*, user, causes) -> int:
    """The legal office confirms the legal and penalty basis of these causes (recorded in history)."""
    confirmed = 0
    with acting_as(user):
        for cause in CaseCause.objects.select_for_update().filter(pk__in=[c.pk for c in causes], citation_confirmed=False):
            cause.citation_confirmed = True
            cause.save(update_fields=["citation_confirmed"])
            confirmed += 1
    return confirmed


def catalogue_load(*, user, causes=None) -> dict:
    """Upsert the causes of ``apps.cases.catalogue`` (idempotent); a cause whose citation the legal
    office confirmed is never overwritten."""
    from apps.gbcp.models import Category

    if causes is None:
        from apps.cases.catalogue import CAUSES as causes
    counts = {"created": 0, "updated": 0, "unchanged": 0, "kept_confirmed": 0}
    categories = {c.code: c for c in Category.objects.all()}
    with transaction.atomic(), acting_as(user):
        existing = {c.code: c for c in CaseCause.objects.prefetch_related("levels", "categories")}
        for item in causes:
            cause = existing.get(item["code"])
            values = {k: item.get(k, default) for k, default in (
                ("name", ""), ("area", ""), ("legal_basis", ""), ("penalty_basis", ""), ("simple_allowed", False), ("serious_harm", False)
            )}
            if cause is not None and cause.citation_confirmed:
                counts["kept_confirmed"] += 1
                continue
            if cause is None:
                cause = CaseCause.objects.create(code=item["code"], **values)
                counts["created"] += 1
                changed = True
            else:
                changed = any(getattr(cause, k) != v for k, v in values.items())
                if changed:
                    for k, v in values.items():
                        setattr(cause, k, v)
                    cause.save()
            wanted_cats = {categories[c].pk for c in item.get("category_codes", []) if c in categories}
            if wanted_cats != {c.pk for c in cause.categories.all()}:
                cause.categories.set(wanted_cats)
                changed = True
            have = {lv.level: lv for lv in cause.levels.all()}
            for spec in item.get("levels", []):
                values = {
                    "conditions": spec.get("conditions", ""), "harm": spec.get("harm", ""),
                    "fine_min": Decimal(str(spec.get("fine_min", 0))).quantize(Decimal("0.01")),
                    "fine_max": Decimal(str(spec.get("fine_max", 0))).quantize(Decimal("0.01")),
                    "warning_allowed": bool(spec.get("warning_allowed", False)),
                }
                level = have.get(spec["level"])
                if level is None:
                    DiscretionLevel.objects.create(cause=cause, level=spec["level"], **values)
                    changed = True
                elif any(getattr(level, k) != v for k, v in values.items()):
                    for k, v in values.items():
                        setattr(level, k, v)
                    level.save()
                    changed = True
            if cause.pk and item["code"] in existing:
                counts["updated" if changed else "unchanged"] += 1
    return counts


# --- opening a case -------------------------------------------------------------------

def _new_number(region_code: str, now, procedure: str):
    year = timezone.localtime(now).year
    district = _district(region_code)
    seq = _next_seq(f"C{region_code[:6]}{year}")
    prefix = (district.name.removesuffix("区") if district else region_code[:6]) + ("城管简" if procedure == Procedure.SIMPLE else "城管立")
    return f"{prefix}〔{year}〕{seq:05d}号", seq, year


def _location(point, place, organization):
    from apps.gbcp.locate import locate

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


def case_open(*, user, source: str, cause=None, place=None, point=None, party_entity=None, party_person=None,
              facts: str = "", task=None, source_ref: str = "", discretion_facts=None) -> Case:
    """A general-procedure case awaiting filing approval (待立案审批); starts its workflow."""
    from apps.cases.flows import CaseFlow

    if source not in Case.Source.values:
        raise ApplicationError(_("Unknown source: %(source)s") % {"source": source}, code="unknown_source")
    membership = _squad_membership(user) if user is not None else None
    if task is not None:
        # An escalated task: the squad handling it opens the case, wherever routing sent it.
        organization = task.organization
        handles = user.is_superuser or serves_in(user, task.organization_id, SQUAD_ROLES)
        if organization is None or not handles:
            raise _forbidden(_("Only an officer of the squad handling the task can open a case from it."))
        if place is None:
            place = task.place
        point = point or task.point
    else:
        organization = membership.organization if membership else None
        if organization is None and not user.is_superuser:
            raise _forbidden(_("Only an officer or squad leader of an enforcement squad can open a case."))
    if organization is None:
        raise _forbidden(_("Only an officer or squad leader of an enforcement squad can open a case."))
    point, region = _location(point, place, organization)
    if task is None and not (user.is_superuser or covers_code(user, region.code)):
        raise _forbidden(_("The place lies outside your jurisdiction."))
    now = timezone.now()
    with transaction.atomic(), acting_as(user):
        number, seq, year = _new_number(region.code, now, Procedure.GENERAL)
        case = Case.objects.create(
            number=number, number_seq=seq, year=year, procedure=Procedure.GENERAL, source=source, source_ref=source_ref or "",
            status=Status.PENDING_FILING, cause=cause, place=place, point=point, region=region, region_code=region.code,
            organization=organization, owner=user, task=task, facts=(facts or "").strip(),
            party_entity=party_entity, party_person=party_person, opened_at=now,
            **_party_fields(party_entity, party_person),
        )
        case.officers.add(user)
        if discretion_facts or cause is not None:
            _apply_proposal(case, discretion_facts or {})
            case.save()
        _log(case, "open", user, source=source, task=task.number if task is not None else None)
        case.process = CaseFlow.start.run(case=case)
    return case


def _party_fields(entity, person):
    if entity is not None:
        return {"party_kind": PartyKind.ORGANISATION, "party_name": entity.name, "party_code": entity.uscc}
    if person is not None:
        return {"party_kind": PartyKind.CITIZEN, "party_name": person.name, "party_code": person.id_number or ""}
    return {}


def _apply_proposal(case, facts: dict):
    facts = {**facts, "party_kind": case.party_kind or facts.get("party_kind") or PartyKind.CITIZEN}
    case.discretion_facts = _jsonable(facts)
    if case.cause_id is None:
        case.proposal = {}
        return None
    proposal = discretion.propose_penalty(cause=case.cause, facts=facts)
    case.proposal = proposal.as_json()
    return proposal


def _jsonable(facts):
    return {k: (v.isoformat() if isinstance(v, (dt.date, dt.datetime)) else v) for k, v in facts.items()}


def party_resolve(*, party_kind: str, name: str, code: str):
    """Validate a party's name and code (GB 11643 / GB 32100) and link an existing Person/Entity where one matches."""
    name, code = (name or "").strip(), (code or "").strip().upper()
    if not name:
        raise ApplicationError(_("Name the party."), code="party_required", details={"party_name": [_("This field is required.")]})
    if party_kind == PartyKind.ORGANISATION:
        if not is_valid_uscc(code):
            raise ApplicationError(_("Not a valid unified social credit code."), code="invalid_uscc", details={"party_code": [_("Not a valid unified social credit code.")]})
        return Entity.objects.filter(uscc=code).first(), None, code
    if party_kind == PartyKind.CITIZEN:
        if not is_valid_resident_id(code):
            raise ApplicationError(_("Not a valid resident ID number."), code="invalid_resident_id", details={"party_code": [_("Not a valid resident ID number.")]})
        return None, Person.objects.filter(id_number=code).first(), code
    raise ApplicationError(_("Unknown party kind."), code="invalid_party_kind")


@transaction.atomic
def case_update(*, user, case: Case, cause=None, facts=None, discretion_facts=None, party_kind=None, party_name=None,
                party_code=None, major=None) -> Case:
    """The owner edits the facts, cause, party and discretion facts before legal review; the proposal follows."""
    case = _locked(case.pk)
    _require_squad(user, case)
    _require_status(case, Status.PENDING_FILING, Status.INVESTIGATING)
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
        proposal = _apply_proposal(case, discretion_facts if discretion_facts is not None else case.discretion_facts)
        if proposal is not None and not case.departure_reason:
            case.level, case.fine, case.warning, case.exempt = proposal.level, proposal.amount, proposal.warning, proposal.exempt
        case.save()
        _log(case, "update", user)
    return case


@transaction.atomic
def case_set_penalty(*, user, case: Case, level: str, fine, warning=False, exempt=False, departure_reason="") -> Case:
    """The owner settles the penalty to propose; departing from the discretion proposal needs a written reason."""
    case = _locked(case.pk)
    _require_squad(user, case)
    _require_status(case, Status.INVESTIGATING)
    if case.cause_id is None:
        raise ApplicationError(_("Choose the cause first."), code="cause_required")
    fine = _money(fine)
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
        _log(case, "set_penalty", user, reason=case.departure_reason, level=level, fine=str(case.fine), warning=case.warning, exempt=case.exempt, departs=departs)
    return case


# --- filing ---------------------------------------------------------------------------

def decision_due(case) -> dt.datetime | None:
    """Art. 60: 90 days from filing, plus approved extensions."""
    if case.filed_at is None:
        return None
    extra = sum(e.days for e in case.extensions.all() if e.approved_at is not None)
    return case.filed_at + dt.timedelta(days=discretion.DECISION_DAYS + extra)


@transaction.atomic
def case_file_approve(*, user, case: Case, at=None) -> Case:
    """The squad leader approves filing (立案); refused when the violation is time-barred (art. 36)."""
    from apps.cases.flows import CaseFlow

    case = _locked(case.pk)
    _require_squad(user, case, [Role.SQUAD_LEADER])
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
            _log(case, "file", user, decision_due=case.decision_due.isoformat())

        _complete_step(case, CaseFlow.approve_filing, user, mutate)
        documents.issue(case=case, kind="filing_approval", user=user)
    return case


@transaction.atomic
def case_file_refuse(*, user, case: Case, reason: str) -> Case:
    """The squad leader refuses filing (不予立案), with a reason; the case is closed, not filed."""
    from apps.cases.flows import CaseFlow

    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("Refusing to file needs a reason."), code="reason_required", details={"reason": [_("This field is required.")]})
    case = _locked(case.pk)
    _require_squad(user, case, [Role.SQUAD_LEADER])
    with acting_as(user):
        def mutate():
            case.status = Status.NOT_FILED
            case.not_filed_reason = reason
            case.closed_at = timezone.now()
            case.save()
            _log(case, "refuse_filing", user, reason=reason)

        _complete_step(case, CaseFlow.approve_filing, user, mutate)
    return case


# --- investigation --------------------------------------------------------------------

@transaction.atomic
def case_assign_officers(*, user, case: Case, officers) -> Case:
    """The squad leader or the owner names the investigating officers (at least two, art. 42)."""
    case = _locked(case.pk)
    _require_squad(user, case)
    _require_status(case, Status.PENDING_FILING, Status.INVESTIGATING)
    officers = list(officers)
    for officer in officers:
        if not serves_in(officer, case.organization_id, SQUAD_ROLES):
            raise ApplicationError(_("%(name)s is not an officer of the handling squad.") % {"name": officer}, code="not_squad_officer")
    with acting_as(user):
        case.officers.add(*officers)
        _log(case, "assign", user, officers=[str(o) for o in officers])
    return case


@transaction.atomic
def case_record_add(*, user, case: Case, kind: str, content: str, interviewee="", location="", recorded_at=None, officers=None) -> CaseRecord:
    """An inquiry (询问笔录) or on-site inspection record (现场检查笔录), made by at least two officers."""
    case = _locked(case.pk)
    _require_squad(user, case)
    if kind not in (CaseRecord.Kind.INQUIRY, CaseRecord.Kind.INSPECTION):
        raise ApplicationError(_("Unknown record kind."), code="invalid_kind")
    _require_status(case, Status.INVESTIGATING)
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
        _log(case, f"record_{kind}", user, record=record.pk)
    return record


def case_evidence_add(*, user, case: Case, files, note="", point=None, captured_at=None, device=""):
    """Evidence files of the case, through the evidence log (存证固证)."""
    from apps.evidence import services as evidence_services

    case = Case.objects.select_related("organization").get(pk=case.pk)
    _require_squad(user, case)
    if not case.is_open:
        raise _illegal(_("The case is closed."))
    items = evidence_services.evidence_record_many(
        user=user, files=files, subject=case, region_code=case.region_code, captured_at=captured_at, point=point, device=device, note=note,
    )
    with transaction.atomic():
        _log(case, "evidence", user, count=len(items))
    return items


@transaction.atomic
def case_submit_review(*, user, case: Case) -> Case:
    """The owner sends the investigated case to legal review (法制审核)."""
    from apps.cases.flows import CaseFlow

    case = _locked(case.pk)
    _require_squad(user, case)
    _require_status(case, Status.INVESTIGATING)
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
            _log(case, "submit_review", user)

        _complete_step(case, CaseFlow.investigate, user, mutate)
    events.case_step(case, _("Case %(number)s awaits legal review") % {"number": case.number}, roles=[Role.LEGAL_REVIEWER])
    return case


@transaction.atomic
def case_legal_review(*, user, case: Case, passed: bool, reason: str = "") -> Case:
    """法制审核: pass on to the leader, or return to investigation with a reason."""
    from apps.cases.flows import CaseFlow

    case = _locked(case.pk)
    _require_role(user, case, Role.LEGAL_REVIEWER)
    reason = (reason or "").strip()
    if not passed and not reason:
        raise ApplicationError(_("Returning a case needs a reason."), code="reason_required", details={"reason": [_("This field is required.")]})
    with acting_as(user):
        def mutate():
            case.status = Status.LEADER_APPROVAL if passed else Status.INVESTIGATING
            case.save()
            _log(case, "legal_pass" if passed else "legal_return", user, reason=reason)

        _complete_step(case, CaseFlow.legal_review, user, mutate)
    if passed:
        events.case_step(case, _("Case %(number)s awaits your approval") % {"number": case.number}, roles=[Role.LEADER])
    else:
        events.case_step(case, _("Case %(number)s returned by legal review") % {"number": case.number}, body=reason, level="warning")
    return case


@transaction.atomic
def case_collective_discussion(*, user, case: Case, date, attendees: str, conclusion: str) -> Case:
    """集体讨论 of a major case, recorded before the leader approves."""
    case = _locked(case.pk)
    _require_role(user, case, Role.LEADER)
    _require_status(case, Status.LEADER_APPROVAL)
    if not (attendees or "").strip() or not (conclusion or "").strip() or date is None:
        raise ApplicationError(_("Record the date, the attendees and the conclusion."), code="discussion_incomplete")
    with acting_as(user):
        case.discussion_date, case.discussion_attendees, case.discussion_conclusion = date, attendees.strip(), conclusion.strip()
        case.save()
        _log(case, "collective_discussion", user, date=str(date))
    return case


@transaction.atomic
def case_leader_approve(*, user, case: Case) -> Case:
    """The leader approves the proposed penalty; a major case needs its collective discussion first."""
    from apps.cases.flows import CaseFlow

    case = _locked(case.pk)
    _require_role(user, case, Role.LEADER)
    if case.status == Status.LEADER_APPROVAL and case.major and not case.discussion_conclusion:
        raise ApplicationError(_("A major case needs its collective discussion recorded before approval."), code="discussion_required")
    with acting_as(user):
        def mutate():
            case.status = Status.APPROVED
            case.save()
            _log(case, "leader_approve", user)

        _complete_step(case, CaseFlow.leader_approval, user, mutate)
    return case


@transaction.atomic
def case_leader_return(*, user, case: Case, reason: str) -> Case:
    from apps.cases.flows import CaseFlow

    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("Returning a case needs a reason."), code="reason_required", details={"reason": [_("This field is required.")]})
    case = _locked(case.pk)
    _require_role(user, case, Role.LEADER)
    with acting_as(user):
        def mutate():
            case.status = Status.LEGAL_REVIEW
            case.save()
            _log(case, "leader_return", user, reason=reason)

        _complete_step(case, CaseFlow.leader_approval, user, mutate)
    return case


# --- notice, statement, hearing -------------------------------------------------------

@transaction.atomic
def case_notify(*, user, case: Case, at=None) -> Case:
    """告知: the notice of proposed penalty, with the right to state and defend and, for large fines, to a hearing."""
    from apps.cases.flows import CaseFlow

    case = _locked(case.pk)
    _require_squad(user, case)
    at = at or timezone.now()
    with acting_as(user):
        def mutate():
            case.status = Status.NOTIFIED
            case.notified_at = at
            case.hearing_eligible = case.fine >= discretion.hearing_threshold(case.party_kind)
            case.save()
            _log(case, "notify", user, hearing_eligible=case.hearing_eligible)

        _complete_step(case, CaseFlow.notify, user, mutate)
        documents.issue(case=case, kind="proposed_penalty_notice", user=user)
    return case


@transaction.atomic
def case_statement_record(*, user, case: Case, content: str, waive_hearing=False, recorded_at=None) -> CaseRecord:
    """陈述申辩: what the party said; the party may waive the hearing."""
    case = _locked(case.pk)
    _require_squad(user, case)
    _require_status(case, Status.NOTIFIED)
    if not (content or "").strip():
        raise ApplicationError(_("The record is empty."), code="content_required", details={"content": [_("This field is required.")]})
    with acting_as(user):
        record = CaseRecord.objects.create(case=case, kind=CaseRecord.Kind.STATEMENT, content=content.strip(), interviewee=case.party_name,
                                           recorded_at=recorded_at or timezone.now(), created_by=user)
        if waive_hearing and case.hearing_eligible:
            case.hearing_waived = True
            case.save()
        _log(case, "statement", user, waive_hearing=bool(waive_hearing))
    return record


def hearing_request_deadline(case) -> dt.date | None:
    if case.notified_at is None:
        return None
    return timezone.localtime(case.notified_at).date() + dt.timedelta(days=discretion.HEARING_REQUEST_DAYS)


@transaction.atomic
def case_hearing_request(*, user, case: Case, at=None) -> Case:
    """The party asks for a hearing: only with the right to one, and within 5 days of the notice (art. 64)."""
    case = _locked(case.pk)
    _require_squad(user, case)
    _require_status(case, Status.NOTIFIED)
    if not case.hearing_eligible:
        raise ApplicationError(_("This penalty carries no right to a hearing."), code="hearing_not_available")
    if case.hearing_requested_at is not None:
        raise _illegal(_("A hearing was already requested."))
    at = at or timezone.now()
    if timezone.localtime(at).date() > hearing_request_deadline(case):
        raise ApplicationError(
            _("A hearing must be requested within 5 days of the notice (by %(date)s).") % {"date": hearing_request_deadline(case)},
            code="hearing_request_late",
        )
    with acting_as(user):
        case.hearing_requested_at = at
        case.hearing_waived = False
        case.save()
        _log(case, "hearing_request", user)
    return case


@transaction.atomic
def case_hearing_hold(*, user, case: Case, record: str, held_at=None) -> CaseRecord:
    """听证: held and recorded."""
    case = _locked(case.pk)
    _require_squad(user, case)
    _require_status(case, Status.NOTIFIED)
    if case.hearing_requested_at is None:
        raise _illegal(_("No hearing was requested."))
    if case.hearing_held_at is not None:
        raise _illegal(_("The hearing was already held."))
    if not (record or "").strip():
        raise ApplicationError(_("The record is empty."), code="content_required", details={"record": [_("This field is required.")]})
    held_at = held_at or timezone.now()
    with acting_as(user):
        row = CaseRecord.objects.create(case=case, kind=CaseRecord.Kind.HEARING, content=record.strip(), interviewee=case.party_name,
                                        recorded_at=held_at, created_by=user)
        case.hearing_held_at = held_at
        case.save()
        _log(case, "hearing_held", user)
    return row


# --- extensions -----------------------------------------------------------------------

@transaction.atomic
def case_extension_request(*, user, case: Case, days: int, reason: str) -> CaseExtension:
    """The owner asks to extend the 90-day decision limit (art. 60)."""
    case = _locked(case.pk)
    if not (user.is_superuser or case.owner_id == user.pk):
        raise _forbidden(_("Only the officer in charge may ask for an extension."))
    if case.filed_at is None or case.decided_at is not None or not case.is_open:
        raise _illegal(_("Only a filed case awaiting its decision can be extended."))
    if not (reason or "").strip():
        raise ApplicationError(_("An extension needs a reason."), code="reason_required", details={"reason": [_("This field is required.")]})
    if not days or int(days) <= 0:
        raise ApplicationError(_("Give the number of days."), code="invalid_days", details={"days": [_("Must be positive.")]})
    with acting_as(user):
        extension = CaseExtension.objects.create(case=case, days=int(days), reason=reason.strip(), requested_by=user)
        _log(case, "extension_request", user, reason=reason.strip(), days=int(days))
    return extension


@transaction.atomic
def case_extension_approve(*, user, extension: CaseExtension) -> CaseExtension:
    """The leader approves an extension; the decision limit moves."""
    extension = CaseExtension.objects.select_for_update().get(pk=extension.pk)
    case = _locked(extension.case_id)
    _require_role(user, case, Role.LEADER)
    if extension.approved_at is not None:
        raise _illegal(_("Already approved."))
    if case.decided_at is not None or not case.is_open:
        raise _illegal(_("Only a filed case awaiting its decision can be extended."))
    with acting_as(user):
        extension.approved_by, extension.approved_at = user, timezone.now()
        extension.save()
        case.decision_due = decision_due(case)
        case.alerts_sent = [a for a in case.alerts_sent if not a.startswith("decision:")]
        case.save()
        _log(case, "extension_approve", user, reason=extension.reason, days=extension.days, decision_due=case.decision_due.isoformat())
    return extension


# --- decision, service, execution -----------------------------------------------------

@transaction.atomic
def case_decide(*, user, case: Case, at=None) -> Case:
    """The leader signs the penalty decision, within the decision limit and after the party's rights were heard."""
    from apps.cases.flows import CaseFlow

    case = _locked(case.pk)
    _require_role(user, case, Role.LEADER)
    _require_status(case, Status.NOTIFIED)
    at = at or timezone.now()
    due = decision_due(case)
    if due is not None and at > due:
        raise ApplicationError(
            _("The decision limit (%(due)s) has passed; the decision cannot be made without an approved extension.") % {"due": timezone.localtime(due).date()},
            code="decision_overdue", status_code=409,
        )
    if case.hearing_requested_at is not None and case.hearing_held_at is None:
        raise _illegal(_("The requested hearing must be held before the decision."))
    if case.hearing_eligible and not case.hearing_waived and case.hearing_requested_at is None and timezone.localtime(at).date() <= hearing_request_deadline(case):
        raise _illegal(_("The party may still request a hearing until %(date)s.") % {"date": hearing_request_deadline(case)})
    with acting_as(user):
        def mutate():
            case.status = Status.DECIDED
            case.decided_at = at
            case.service_due = at + dt.timedelta(days=discretion.SERVICE_DAYS)
            case.save()
            _log(case, "decide", user, fine=str(case.fine), warning=case.warning, exempt=case.exempt)

        _complete_step(case, CaseFlow.decide, user, mutate)
        payment = _payment_for(case) if case.fine > 0 else None
        documents.issue(case=case, kind="penalty_decision", user=user, payment=payment)
    return case


def _payment_for(case) -> Payment:
    payment = Payment.objects.filter(case=case).first()
    if payment is None:
        # 100 random bits never collide in practice; the savepoint keeps a collision from breaking the caller.
        for attempt in range(3):
            try:
                with transaction.atomic():
                    payment = Payment.objects.create(case=case, reference=new_payment_reference(), amount_due=case.fine)
                break
            except IntegrityError:
                if attempt == 2:
                    raise
    return payment


@transaction.atomic
def case_serve(*, user, case: Case, method: str, served_at=None) -> Case:
    """送达: on the spot, or within 7 days by another method; the payment is then due in 15 days."""
    from apps.cases.flows import CaseFlow

    case = _locked(case.pk)
    _require_squad(user, case)
    if method not in Case.ServiceMethod.values:
        raise ApplicationError(_("Unknown service method."), code="invalid_method", details={"method": [_("Choose a method.")]})
    served_at = served_at or timezone.now()
    if case.decided_at and served_at < case.decided_at:
        raise ApplicationError(_("Service cannot precede the decision."), code="invalid_time")
    late = case.service_due is not None and served_at > case.service_due
    with acting_as(user):
        def mutate():
            case.served_at, case.service_method = served_at, method
            if case.fine > 0:
                case.status = Status.EXECUTING
                case.payment_due = timezone.localtime(served_at).date() + dt.timedelta(days=discretion.PAYMENT_DAYS)
            else:
                case.status = Status.EXECUTED
                case.executed_at = served_at
            case.save()
            _log(case, "serve", user, method=method, late=late)

        _complete_step(case, CaseFlow.serve, user, mutate)
        documents.issue(case=case, kind="service_receipt", user=user)
        if case.status == Status.EXECUTING and Payment.objects.filter(case=case, state=Payment.State.PAID).exists():
            _mark_executed(case, user, "paid_before_service")
    return case


def amount_due_on(case, on_date) -> tuple[Decimal, Decimal]:
    """(fine, late fee) owed on ``on_date``."""
    fee = discretion.late_fee(fine=case.fine, due_date=case.payment_due, on_date=on_date) if case.payment_due else Decimal("0.00")
    return case.fine, fee


def _mark_executed(case, user, action, **data):
    from apps.cases.flows import CaseFlow

    def mutate():
        case.status = Status.EXECUTED
        case.executed_at = timezone.now()
        case.save()
        _log(case, action, user, **data)

    if case.status != Status.EXECUTING:
        # Paid before service (general) or before filing with the organisation (simple): the case
        # moves on when that step is done.
        _log(case, action, user, **data)
    elif case.procedure == Procedure.GENERAL:
        _complete_step(case, CaseFlow.execute, user, mutate)
    else:
        mutate()


def payment_notice_receive(*, body: bytes, headers) -> tuple[Payment, bool]:
    """A signed payment notice from the provider; (payment, newly_paid).

    The amount must be the fine plus the late fee as of the payment time. The outcome of a notice is
    idempotent, also under concurrency: the same notice delivered again (a gateway's retry, ten
    deliveries at once) answers as the first did and records nothing more; a notice id seen before
    with other content, or a second notice for a settled fine, is a conflict (409).
    """
    notice = get_provider().parse_notice(body=body, headers=headers)
    target = Payment.objects.filter(reference=notice.reference).values("pk", "case_id").first()
    if target is None:
        raise ApplicationError(_("Unknown payment reference."), code="unknown_reference")
    with transaction.atomic(), acting_as(None):
        # Case first, then payment: the same order as every other writer of both, so no deadlock.
        case = _locked(target["case_id"])
        payment = Payment.objects.select_for_update().get(pk=target["pk"])
        # Read only after the locks: a twin delivered at the same moment has committed by now.
        seen = PaymentNotice.objects.filter(notice_id=notice.notice_id).first()
        if seen is not None:
            if seen.payment_id != payment.pk or seen.amount_fen != notice.amount_fen or seen.paid_at != notice.paid_at:
                raise ApplicationError(
                    _("This payment notice id was already used for another payment or amount."),
                    code="notice_conflict", details={"notice_id": notice.notice_id}, status_code=409,
                )
            return payment, False
        if payment.state != Payment.State.PENDING:
            raise ApplicationError(
                _("This fine was already settled."), code="already_paid",
                details={"reference": payment.reference, "state": payment.state}, status_code=409,
            )
        fine, fee = amount_due_on(case, notice.paid_at)
        expected = int((fine + fee) * 100)
        if notice.amount_fen != expected:
            raise ApplicationError(
                _("Wrong amount: %(got)s fen paid, %(expected)s fen due (fine plus late fee).") % {"got": notice.amount_fen, "expected": expected},
                code="wrong_amount", details={"expected_fen": expected, "paid_fen": notice.amount_fen},
            )
        try:
            with transaction.atomic():
                PaymentNotice.objects.create(notice_id=notice.notice_id, payment=payment, amount_fen=notice.amount_fen, paid_at=notice.paid_at,
                                             channel=notice.channel or "", raw=notice.raw if isinstance(notice.raw, dict) else {"raw": str(notice.raw)})
        except IntegrityError:
            # The same id at the same moment for another fine (that one holds another case's lock).
            raise ApplicationError(
                _("This payment notice id was already used for another payment or amount."),
                code="notice_conflict", details={"notice_id": notice.notice_id}, status_code=409,
            ) from None
        payment.state, payment.paid_at, payment.channel = Payment.State.PAID, notice.paid_at, notice.channel or ""
        payment.amount_paid, payment.late_fee = Decimal(notice.amount_fen) / 100, fee
        payment.save()
        _mark_executed(case, None, "paid", amount_fen=notice.amount_fen, late_fee=str(fee), reference=payment.reference)
    events.case_step(case, _("Fine of case %(number)s paid") % {"number": case.number})
    return payment, True


@transaction.atomic
def case_enforcement_record(*, user, case: Case, note: str) -> Case:
    """Enforcement (强制执行) recorded when the party did not pay."""
    case = _locked(case.pk)
    _require_squad(user, case, [Role.SQUAD_LEADER])
    _require_status(case, Status.EXECUTING)
    if not (note or "").strip():
        raise ApplicationError(_("Describe the enforcement."), code="reason_required", details={"note": [_("This field is required.")]})
    with acting_as(user):
        payment = Payment.objects.select_for_update().filter(case=case).first()
        if payment is not None:
            payment.state = Payment.State.ENFORCED
            payment.save()
        _mark_executed(case, user, "enforced", note=note.strip())
    return case


@transaction.atomic
def case_close(*, user, case: Case) -> Case:
    """结案, with the closing report."""
    from apps.cases.flows import CaseFlow

    case = _locked(case.pk)
    _require_squad(user, case, [Role.SQUAD_LEADER])
    _require_status(case, Status.EXECUTED)
    if case.procedure == Procedure.SIMPLE and case.onsite_filed_at is None:
        raise _illegal(_("File the on-the-spot decision with the organisation first."))
    with acting_as(user):
        def mutate():
            case.status = Status.CLOSED
            case.closed_at = timezone.now()
            case.save()
            _log(case, "close", user)

        if case.procedure == Procedure.GENERAL:
            _complete_step(case, CaseFlow.close, user, mutate)
        else:
            mutate()
        documents.issue(case=case, kind="closing_report", user=user)
    return case


@transaction.atomic
def case_archive(*, user, case: Case) -> Case:
    """归档."""
    from apps.cases.flows import CaseFlow

    case = _locked(case.pk)
    _require_squad(user, case, [Role.SQUAD_LEADER])
    _require_status(case, Status.CLOSED)
    with acting_as(user):
        def mutate():
            case.status = Status.ARCHIVED
            case.archived_at = timezone.now()
            case.save()
            _log(case, "archive", user)

        if case.procedure == Procedure.GENERAL:
            _complete_step(case, CaseFlow.archive, user, mutate)
        else:
            mutate()
    return case


# --- simple procedure (简易程序) -------------------------------------------------------

@transaction.atomic
def case_onsite_decide(*, user, co_officer, party_kind: str, party_name: str, party_code: str, cause, amount=0, warning=False,
                       facts: str = "", point=None, place=None, discretion_facts=None) -> Case:
    """当场处罚 (art. 51/52): a warning, or a fine up to 200 yuan (citizen) / 3000 yuan (organisation),
    by two officers of one squad, with the party identified; the decision is printed with a payment QR."""
    membership = _squad_membership(user, (Role.OFFICER,))
    if membership is None:
        raise _forbidden(_("Only an officer can decide on the spot."))
    if co_officer is None or co_officer.pk == user.pk or not serves_in(co_officer, membership.organization_id, (Role.OFFICER,)):
        raise ApplicationError(_("A second officer of the same squad must take part (art. 52)."), code="co_officer_required",
                               details={"co_officer": [_("Choose another officer of your squad.")]})
    if cause is None or not cause.simple_allowed:
        raise ApplicationError(_("This cause does not allow the simple procedure; open a general-procedure case."), code="simple_not_allowed")
    amount = Decimal("0") if warning else _money(amount)
    if not warning and amount <= 0:
        raise ApplicationError(_("Give a warning or a fine."), code="penalty_required")
    limit = discretion.simple_limit(party_kind)
    if amount > limit:
        raise ApplicationError(
            _("On the spot only a warning or a fine up to %(limit)s yuan is allowed for this party (art. 51); use the general procedure.") % {"limit": limit},
            code="simple_limit_exceeded", details={"amount": [_("Above the simple-procedure limit.")]},
        )
    low, high = discretion.fine_range(cause)
    if not warning and high and not (low <= amount <= high):
        raise ApplicationError(_("The fine must lie within the cause's range of %(low)s to %(high)s yuan.") % {"low": low, "high": high}, code="fine_out_of_range")
    entity, person, code = party_resolve(party_kind=party_kind, name=party_name, code=party_code)
    if not (facts or "").strip():
        raise ApplicationError(_("Describe the facts."), code="facts_required", details={"facts": [_("This field is required.")]})
    point, region = _location(point, place, membership.organization)
    if not (user.is_superuser or covers_code(user, region.code)):
        raise _forbidden(_("The place lies outside your jurisdiction."))
    now = timezone.now()
    with acting_as(user):
        number, seq, year = _new_number(region.code, now, Procedure.SIMPLE)
        case = Case.objects.create(
            number=number, number_seq=seq, year=year, procedure=Procedure.SIMPLE, source=Case.Source.PATROL, status=Status.ONSITE_DECIDED,
            cause=cause, place=place, point=point, region=region, region_code=region.code, organization=membership.organization, owner=user,
            party_kind=party_kind, party_name=party_name.strip(), party_code=code, party_entity=entity, party_person=person,
            facts=facts.strip(), level="slight", fine=amount, warning=bool(warning), opened_at=now, filed_at=now, decided_at=now,
            served_at=now, service_method=Case.ServiceMethod.ON_THE_SPOT,
            payment_due=(timezone.localtime(now).date() + dt.timedelta(days=discretion.PAYMENT_DAYS)) if amount > 0 else None,
        )
        _apply_proposal(case, discretion_facts or {})
        case.save()
        case.officers.add(user, co_officer)
        _log(case, "onsite_decide", user, co_officer=str(co_officer), fine=str(amount), warning=bool(warning))
        payment = _payment_for(case) if amount > 0 else None
        documents.issue(case=case, kind="onsite_decision", user=user, payment=payment)
    return case


@transaction.atomic
def case_onsite_file(*, user, case: Case) -> Case:
    """备案: the squad leader files the on-the-spot decision with the organisation."""
    case = _locked(case.pk)
    _require_squad(user, case, [Role.SQUAD_LEADER])
    _require_status(case, Status.ONSITE_DECIDED)
    with acting_as(user):
        case.onsite_filed_at = timezone.now()
        paid = Payment.objects.filter(case=case, state=Payment.State.PAID).exists()
        if case.fine > 0 and not paid:
            case.status = Status.EXECUTING
        else:
            case.status, case.executed_at = Status.EXECUTED, case.executed_at or timezone.now()
        case.save()
        _log(case, "onsite_file", user)
    return case


# --- deadline warnings (预警) ----------------------------------------------------------

DECISION_WARN_DAYS = (30, 15, 7, 3, 1)
SERVICE_WARN_DAYS = (2,)
PAYMENT_WARN_DAYS = (0,)


def _due_points(case, now):
    """(key, message) of every warning point already reached for this case."""
    today = timezone.localtime(now).date()
    points = []
    if case.status in (Status.INVESTIGATING, Status.LEGAL_REVIEW, Status.LEADER_APPROVAL, Status.APPROVED, Status.NOTIFIED) and case.decision_due:
        left = (timezone.localtime(case.decision_due).date() - today).days
        for d in sorted(DECISION_WARN_DAYS):  # the nearest point reached
            if left <= d:
                points.append((f"decision:{d}", _("Case %(number)s: %(days)s days left to decide") % {"number": case.number, "days": max(left, 0)}))
                break
    if case.status == Status.DECIDED and case.service_due:
        left = (timezone.localtime(case.service_due).date() - today).days
        for d in SERVICE_WARN_DAYS:
            if left <= d:
                points.append((f"service:{d}", _("Case %(number)s: serve the decision within %(days)s days") % {"number": case.number, "days": max(left, 0)}))
    if case.status == Status.EXECUTING and case.payment_due:
        left = (case.payment_due - today).days
        for d in PAYMENT_WARN_DAYS:
            if left <= d:
                points.append((f"payment:{d}", _("Case %(number)s: the fine is due %(date)s") % {"number": case.number, "date": case.payment_due}))
    return points


def case_deadlines_sweep(*, now=None) -> int:
    """Warn the owner and the squad leader at set points before each deadline, once per point."""
    now = now or timezone.now()
    sent = 0
    qs = Case.objects.filter(status__in=[Status.INVESTIGATING, Status.LEGAL_REVIEW, Status.LEADER_APPROVAL, Status.APPROVED,
                                         Status.NOTIFIED, Status.DECIDED, Status.EXECUTING])
    for case in qs.select_related("owner", "organization").iterator():
        fresh = [(key, msg) for key, msg in _due_points(case, now) if key not in case.alerts_sent]
        # Only the nearest decision point counts: earlier ones reached at the same time are marked sent too.
        if not fresh:
            continue
        with transaction.atomic():
            locked = Case.objects.select_for_update().get(pk=case.pk)
            keys = list(locked.alerts_sent)
            for key, message in fresh:
                if key in keys:
                    continue
                if key.startswith("decision:"):
                    reached = int(key.split(":")[1])
                    keys += [f"decision:{d}" for d in DECISION_WARN_DAYS if d >= reached and f"decision:{d}" not in keys]
                else:
                    keys.append(key)
                events.case_deadline(case, key, message)
                _log(case, "deadline_warning", None, point=key)
                sent += 1
            Case.objects.filter(pk=case.pk).update(alerts_sent=keys)
    return sent

