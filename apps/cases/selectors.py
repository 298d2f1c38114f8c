"""Reads of cases by who asks (jurisdiction by region code, squads their own cases) and of the cause catalogue."""

from django.db.models import F, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.jurisdiction import scope_filter, staff_organization_ids
from apps.accounts.models import STAFF_ROLES, Role, User
from apps.cases import services
from apps.cases.challenges import OVERTURNING, CaseChallenge
from apps.cases.disclosures import PUBLIC_FIELDS, Disclosure
from apps.cases.models import (
    OPEN_STATUSES,
    Case,
    CaseCause,
    CaseDocument,
    CaseExtension,
    CaseLog,
    CashCollection,
    PartyKind,
    Payment,
    PaymentTermRequest,
    Status,
)
from apps.cases.payment_provider import format_reference, normalize_reference, payment_reference_valid
from apps.gbcp import citycode
from apps.gbcp.errors import ApplicationError, NotFound
from apps.gbcp.masking import Clearance, clearance_for, mask
from apps.gbcp.models import Entity, Person, Place, Region
from apps.gbcp.privacy import note_unmasked
from apps.gbcp.validators import is_valid_resident_id, is_valid_uscc


def cause_get(*, code: str) -> CaseCause:
    cause = CaseCause.objects.filter(code=(code or "").strip()).prefetch_related("levels").first()
    if cause is None:
        raise NotFound()
    return cause


def cause_list(*, category_code=None, simple=False, q=None):
    """The active cause catalogue, optionally of an event category, allowing the simple procedure, or by name."""
    qs = CaseCause.objects.filter(active=True).prefetch_related("levels").order_by("code")
    if category_code:
        qs = qs.filter(categories__code=category_code)
    if simple:
        qs = qs.filter(simple_allowed=True)
    if q:
        qs = qs.filter(name__icontains=q)
    return qs


def causes_for_category(*, category):
    return CaseCause.objects.filter(categories=category, active=True).prefetch_related("levels").order_by("code")


def case_list_for_user(*, user, status=None, procedure=None, mine=False, open_only=False, q=None, queue=None):
    """Staff see cases whose region lies in their jurisdiction; ``queue`` picks the cases awaiting the user's role."""
    if not user.is_authenticated:
        return Case.objects.none()
    qs = Case.objects.filter(scope_filter(user, "region_code"))
    qs = qs.select_related("cause", "organization", "owner", "region")
    if status:
        qs = qs.filter(status__in=status if isinstance(status, (list, tuple)) else [status])
    if procedure:
        qs = qs.filter(procedure=procedure)
    if open_only:
        qs = qs.filter(status__in=OPEN_STATUSES)
    if mine:
        qs = qs.filter(Q(owner=user) | Q(officers=user)).distinct()
    if queue == "legal":
        qs = qs.filter(status=Status.LEGAL_REVIEW)
    elif queue == "leader":
        qs = qs.filter(status__in=[Status.LEADER_APPROVAL, Status.NOTIFIED]) | qs.filter(extensions__approved_at__isnull=True, extensions__isnull=False)
        qs = qs.distinct()
    elif queue == "squad":
        org_ids = staff_organization_ids(user, roles=(Role.SQUAD_LEADER,))
        qs = qs.filter(organization_id__in=org_ids, status__in=[Status.PENDING_FILING, Status.ONSITE_DECIDED, Status.EXECUTED, Status.CLOSED])
    elif queue == "disclosure":  # decisions to publish (art. 48) and publications to withdraw
        qs = qs.filter(Q(disclosure__status=Disclosure.Status.DUE)
                       | Q(disclosure__status=Disclosure.Status.PUBLISHED, disclosure__withdrawal_due__isnull=False))
    if q:
        qs = qs.filter(_search_q(user, q))
    return qs.order_by("decision_due", "-opened_at", "-id") if queue else qs.order_by("-opened_at", "-id")


def _search_q(user, q) -> Q:
    """Search never confirms what the viewer sees masked: the party's name only from staff clearance (an analyst sees
    it masked), a resident ID only whole and only with full clearance; a credit code (never masked) whole."""
    clearance = clearance_for(user)
    code = q.strip().upper()
    found = Q(number__icontains=q) | Q(facts__icontains=q) | Q(party_kind=PartyKind.ORGANISATION, party_code=code)
    if clearance >= Clearance.STAFF:
        found |= Q(party_name__icontains=q)
    if clearance >= Clearance.FULL:
        found |= Q(party_code=code)
    return found


def case_get_for_user(*, user, id) -> Case:
    case = case_list_for_user(user=user).filter(pk=id).first()
    if case is None:
        raise NotFound()
    return case


def document_get_for_user(*, user, id) -> CaseDocument:
    """A document of a case the user may see."""
    document = CaseDocument.objects.filter(pk=id, case__in=case_list_for_user(user=user)).select_related("case").first()
    if document is None:
        raise NotFound()
    return document


def extension_get_for_case(*, case, id) -> CaseExtension:
    """An extension of this (already visible) case; one of another case is not there."""
    extension = CaseExtension.objects.filter(case=case, pk=id).first()
    if extension is None:
        raise NotFound()
    return extension


def challenge_get_for_case(*, case, id) -> CaseChallenge:
    """A review or litigation of this (already visible) case; one of another case is not there."""
    challenge = CaseChallenge.objects.filter(case=case, pk=id).first()
    if challenge is None:
        raise NotFound()
    return challenge


# --- the public disclosure (行政执法公示): only what was published, masked, and only its public fields ---

def disclosure_list_public(*, q=None, district=None, date_from=None, date_to=None):
    """Published decisions, newest first; ``q`` searches the cause and the decision number, ``district`` is a 6-digit code."""
    qs = Disclosure.objects.filter(status=Disclosure.Status.PUBLISHED).only(*PUBLIC_FIELDS).order_by("-decided_on", "-id")
    if q:
        qs = qs.filter(Q(cause_name__icontains=q) | Q(decision_number__icontains=q))
    if district:
        qs = qs.filter(district_code=district)
    if date_from:
        qs = qs.filter(decided_on__gte=date_from)
    if date_to:
        qs = qs.filter(decided_on__lte=date_to)
    return qs


def disclosure_get_public(*, id) -> Disclosure:
    """One published decision; a withdrawn or unpublished one is not there."""
    disclosure = disclosure_list_public().filter(pk=id).first()
    if disclosure is None:
        raise NotFound()
    return disclosure


def disclosure_districts():
    """The districts for the public page's filter: (code, name) of every district, by code."""
    return list(Region.objects.filter(level=Region.Level.DISTRICT).order_by("code").values_list("code", "name"))


def cash_handins_overdue(*, user, now=None):
    """Cash collected on the spot in the user's jurisdiction and not handed in to the bureau by its deadline (2 working
    days, art. 71), oldest first; with the case, the collector and the squad (one query)."""
    now = now or timezone.now()
    return (CashCollection.objects.filter(case__in=case_list_for_user(user=user), handed_in_at__isnull=True, handin_due__lt=now)
            .select_related("case", "collected_by", "case__organization").order_by("handin_due", "pk"))


def payment_terms_for_case(*, case):
    """The case's applications to defer or pay in instalments (art. 66), each with its instalments and who decided."""
    return (PaymentTermRequest.objects.filter(case=case).select_related("requested_by", "decided_by")
            .prefetch_related("instalments").order_by("requested_at", "pk"))


def staff_list_for_user(*, user):
    """Active staff serving in an organisation of the user's jurisdiction: whom the user may name on a case
    (an officer, a co-officer). Anyone else answers like a user that does not exist."""
    if user is None or not user.is_authenticated:
        return User.objects.none()
    return User.objects.filter(
        scope_filter(user, "memberships__organization__region__code"), is_active=True, memberships__is_active=True,
        memberships__role__in=list(STAFF_ROLES),
    ).distinct().order_by("pk")


def cases_for_place(*, user, place):
    return case_list_for_user(user=user).filter(place=place)


def document_get_public(*, key: str) -> CaseDocument:
    """For the public verification page: by number or by token, nothing else."""
    key = (key or "").strip()
    document = CaseDocument.objects.filter(Q(verify_token=key) | Q(number=key)).first()
    if document is None:
        raise NotFound()
    return document


def payment_get_public(*, reference: str):
    """A payment by its (unguessable) reference, for the public pay page; a malformed one is not looked up."""
    if not payment_reference_valid(reference):
        raise NotFound()
    payment = Payment.objects.select_related("case", "case__organization").filter(reference=normalize_reference(reference)).first()
    if payment is None:
        raise NotFound()
    return payment


def payment_public_summary(*, payment, on_date) -> dict:
    """What a payer needs and nothing more: the reference, who is owed, the party's masked name, the
    amount due on ``on_date`` (fine plus late fee), the due date and the state. No case number,
    party ID, address, facts or officers: the page is public to whoever holds the reference."""
    case = payment.case
    # The one computation the notice check uses too, so the cashier and the notice can never disagree.
    fine, fee = services.amount_due_on(case, on_date)
    return {
        "reference": payment.reference,
        "reference_printed": format_reference(payment.reference),
        "payee": case.organization.name if case.organization_id else "",
        "party": mask("name", case.party_name, Clearance.PUBLIC),
        "fine": fine,
        "late_fee": fee,
        "total": fine + fee,
        "total_fen": int((fine + fee) * 100),
        "due": case.payment_due,
        "state": payment.state,
        "state_display": payment.get_state_display(),
        "paid_at": payment.paid_at,
    }


def case_for_task(*, task):
    """The case opened from a dispatched task (one per task), or None; for the task centre."""
    return Case.objects.filter(task=task).first()


def party_lookup(*, user, code: str) -> dict:
    """A party by resident ID, unified social credit code or city code, masked by the viewer's clearance."""
    if user is None or not user.is_authenticated or not (user.is_superuser or user.is_staff_member()):
        raise NotFound()  # a party register is for staff filling in a case, not for walking ID numbers
    code = (code or "").strip().upper()
    clearance = clearance_for(user)
    if len(code) == 18 and is_valid_uscc(code):
        entity = Entity.objects.filter(uscc=code).first()
        return {"kind": PartyKind.ORGANISATION, "code": code, "name": entity.name if entity else "", "valid": True, "linked": entity is not None}
    if len(code) == 18 and is_valid_resident_id(code):
        person = Person.objects.filter(id_number=code).first()
        if person is not None:
            note_unmasked(user=user, value=mask("id_number", code, clearance), what="id_number", subject=person)
        return {"kind": PartyKind.CITIZEN, "code": mask("id_number", code, clearance), "name": mask("name", person.name, clearance) if person else "",
                "valid": True, "linked": person is not None}
    if citycode.is_valid(code):
        entity = Entity.objects.filter(city_code=code).first()
        if entity is None:
            place = Place.objects.filter(city_code=code).select_related("operator").first()
            entity = place.operator if place else None
        if entity is not None:
            return {"kind": PartyKind.ORGANISATION, "code": entity.uscc, "name": entity.name, "valid": True, "linked": True}
        return {"kind": "", "code": code, "name": "", "valid": True, "linked": False}
    raise ApplicationError(_("Not a valid resident ID, credit code or city code."), code="invalid_code", details={"code": [_("Check the number.")]})


# --- read by supervision ---
# Unscoped reads for the rules engine (apps.supervision.services.rules), which runs as the system, never for a person.

def supervision_cases_past_deadline(*, deadline: str, cutoff):
    """Cases past a statutory deadline at ``cutoff`` and not yet past its step: ``decision`` (decision_due, 90 days
    from filing unless extended), ``service`` (service_due, 7 working days from the decision), ``payment`` (payment_due,
    15 days from service; a date, overdue from the day after), ``disclosure`` (annotated disclosure_due_at, 7 working days
    from the decision), ``withdrawal`` (annotated disclosure_withdrawal_due, 3 working days from the correction) or
    ``cash_handin`` (annotated cash_handin_due: cash collected on the spot, 2 working days to reach the bureau, art. 71).
    The payment date is the approved deferral's or the next unpaid instalment's once art. 66 terms are approved."""
    if deadline == "decision":
        qs = Case.objects.filter(status__in=OPEN_STATUSES, decided_at__isnull=True, decision_due__lte=cutoff)
    elif deadline == "service":
        qs = Case.objects.filter(status=Status.DECIDED, served_at__isnull=True, service_due__lte=cutoff)
    elif deadline == "payment":
        qs = Case.objects.filter(status=Status.EXECUTING, payment_due__lt=cutoff.date())
    elif deadline == "disclosure":  # art. 48: published within 7 working days of the decision
        qs = Case.objects.filter(disclosure__status=Disclosure.Status.DUE, disclosure__due_at__lte=cutoff).annotate(
            disclosure_due_at=F("disclosure__due_at"))
    elif deadline == "withdrawal":  # art. 48(2): a corrected decision's publication withdrawn within 3 working days
        qs = Case.objects.filter(disclosure__status=Disclosure.Status.PUBLISHED, disclosure__withdrawal_due__lte=cutoff).annotate(
            disclosure_withdrawal_due=F("disclosure__withdrawal_due"))
    elif deadline == "cash_handin":  # art. 71: cash collected on the spot reaches the bureau within 2 working days
        qs = Case.objects.filter(cash_collection__handed_in_at__isnull=True, cash_collection__handin_due__lte=cutoff).annotate(
            cash_handin_due=F("cash_collection__handin_due"))
    else:
        raise ValueError(f"unknown case deadline {deadline!r}")
    return qs.select_related("organization", "place", "region").order_by("pk")


# --- read by evaluation ---
# Case quality of docs/EVALUATION.md §4: the cases whose first legal-review decision falls in a period, and their returns.

EVALUATION_REVIEW_ACTIONS = ("legal_pass", "legal_return")
EVALUATION_RETURN_ACTIONS = ("legal_return", "leader_return")


def evaluation_reviewed_cases(*, organization_ids=None, start, end):
    """Cases handled by one of ``organization_ids`` (any when None) whose first legal-review decision lies in [start, end)."""
    qs = Case.objects.filter(logs__action__in=EVALUATION_REVIEW_ACTIONS)
    if organization_ids is not None:
        qs = qs.filter(organization_id__in=list(organization_ids))
    return qs.annotate(ev_first_review=Min("logs__at")).filter(ev_first_review__gte=start, ev_first_review__lt=end)


def evaluation_case_quality_rows(*, organization_ids=None, start, end) -> list[dict]:
    """One row per case of V: id, organization_id, legal_returns, leader_returns, changed (penalty set again after
    the first return), overturned (a review or litigation changed or revoked the decision or confirmed it unlawful,
    art. 73). Three queries."""
    cases = {pk: {"id": pk, "organization_id": org, "legal_returns": 0, "leader_returns": 0, "changed": False, "overturned": False,
                  "_first_return": None}
             for pk, org in evaluation_reviewed_cases(organization_ids=organization_ids, start=start, end=end).values_list("pk", "organization_id")}
    logs = (CaseLog.objects.filter(case_id__in=list(cases), action__in=EVALUATION_RETURN_ACTIONS + ("set_penalty",))
            .order_by("at", "id").values_list("case_id", "action", "at"))
    for case_id, action, _at in logs:
        row = cases[case_id]
        if action == "set_penalty":
            row["changed"] = row["changed"] or row["_first_return"] is not None
            continue
        row["legal_returns" if action == "legal_return" else "leader_returns"] += 1
        row["_first_return"] = row["_first_return"] or _at
    for case_id in CaseChallenge.objects.filter(case_id__in=list(cases), outcome__in=OVERTURNING).values_list("case_id", flat=True):
        cases[case_id]["overturned"] = True
    for row in cases.values():
        del row["_first_return"]
    return list(cases.values())


def evaluation_case_list(*, ids):
    return Case.objects.filter(pk__in=list(ids)).select_related("cause", "organization").order_by("-opened_at", "-id")


# --- read by the staff workbench (cityenforce.views.home) ---

def case_queue_count_for_user(*, user, queue) -> int:
    """How many cases wait in one queue of the case list ("legal", "leader", "squad"): the list page's own rows."""
    return case_list_for_user(user=user, queue=queue).order_by().count()


def case_deadlines_for_user(*, user, limit=8):
    """The user's own open cases (in charge or co-officer) with their next statutory deadline, nearest first:
    the decision deadline until decided, then the service deadline until served. ``next_due``/``next_kind`` annotated."""
    from django.db.models import Case as Choose, CharField, F, Value, When  # noqa: I001 -- "Case" is the model's name here

    pending_decision = Q(decided_at__isnull=True, decision_due__isnull=False)
    pending_service = Q(status=Status.DECIDED, served_at__isnull=True, service_due__isnull=False)
    qs = case_list_for_user(user=user, mine=True, open_only=True).filter(pending_decision | pending_service)
    return qs.annotate(
        next_due=Choose(When(pending_decision, then=F("decision_due")), default=F("service_due")),
        next_kind=Choose(When(pending_decision, then=Value("decision")), default=Value("service"), output_field=CharField()),
    ).order_by("next_due", "pk")[:limit]
