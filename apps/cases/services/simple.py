"""The simple procedure (简易程序, art. 51/52): deciding on the spot and filing the decision with the organisation (备案)."""
import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.jurisdiction import serves_in
from apps.accounts.models import Role
from apps.accounts.selectors import require_certified
from apps.cases import discretion, documents, numbering
from apps.cases.models import Case, CaseLog, Payment, Procedure, Status
from apps.cases.policy import SIMPLE
from apps.cases.services._common import forbidden, location, locked, money, require, squad_membership
from apps.cases.services.parties import apply_proposal, party_resolve
from apps.cases.services.payments import payment_for
from apps.credit import services as credit
from apps.gbcp.audit import acting_as
from apps.gbcp.errors import ApplicationError


@transaction.atomic
def case_onsite_decide(*, user, co_officer, party_kind: str, party_name: str, party_code: str, cause, amount=0, warning=False,
                       facts: str = "", point=None, place=None, discretion_facts=None) -> Case:
    """当场处罚 (art. 51/52): a warning, or a fine up to 200 yuan (citizen) / 3000 yuan (organisation),
    by two officers of one squad, with the party identified; the decision is printed with a payment QR."""
    membership = squad_membership(user, (Role.OFFICER,))
    if membership is None:
        raise forbidden(_("Only an officer can decide on the spot."))
    if co_officer is None or co_officer.pk == user.pk or not serves_in(co_officer, membership.organization_id, (Role.OFFICER,)):
        raise ApplicationError(_("A second officer of the same squad must take part (art. 52)."), code="co_officer_required",
                               details={"co_officer": [_("Choose another officer of your squad.")]})
    if cause is None or not cause.simple_allowed:
        raise ApplicationError(_("This cause does not allow the simple procedure; open a general-procedure case."), code="simple_not_allowed")
    amount = Decimal("0") if warning else money(amount)
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
    point, region = location(point, place, membership.organization)
    # The table's row for deciding on the spot: an officer whose jurisdiction holds the place of the case about to be made.
    SIMPLE.require(user=user, step="onsite_decide", subject=Case(procedure=Procedure.SIMPLE, region_code=region.code,
                                                                 organization=membership.organization, owner=user))
    # Both officers show a valid enforcement certificate (执法证) covering the place (art. 42/52).
    require_certified([user, co_officer], region.code)
    now = timezone.now()
    with acting_as(user):
        number, seq, year = numbering.case_number(region.code, now, Procedure.SIMPLE)
        case = Case.objects.create(
            number=number, number_seq=seq, year=year, procedure=Procedure.SIMPLE, source=Case.Source.PATROL, status=Status.ONSITE_DECIDED,
            cause=cause, place=place, point=point, region=region, region_code=region.code, organization=membership.organization, owner=user,
            party_kind=party_kind, party_name=party_name.strip(), party_code=code, party_entity=entity, party_person=person,
            party_address=(entity.address if entity else person.address if person else "") or "",
            facts=facts.strip(), level="slight", fine=amount, warning=bool(warning), opened_at=now, filed_at=now, decided_at=now,
            served_at=now, service_method=Case.ServiceMethod.ON_THE_SPOT,
            payment_due=(timezone.localtime(now).date() + dt.timedelta(days=discretion.PAYMENT_DAYS)) if amount > 0 else None,
        )
        apply_proposal(case, discretion_facts or {})
        case.save()
        case.officers.add(user, co_officer)
        CaseLog.record(case, "onsite_decide", user, co_officer=str(co_officer), fine=str(amount), warning=bool(warning))
        payment = payment_for(case) if amount > 0 else None
        documents.issue(case=case, kind="onsite_decision", user=user, payment=payment)
    if entity is not None:  # credit is told of an on-the-spot penalty against a business
        credit.record_penalty_decision(user=user, entity=entity, source_ref=f"cases.Case:{case.pk}", fine=amount, warning=bool(warning),
                                       decided_on=now, reason=f"{case.number} {cause}", place=place)
    return case


@transaction.atomic
def case_onsite_file(*, user, case: Case) -> Case:
    """备案: the squad leader files the on-the-spot decision with the organisation."""
    case = locked(case.pk)
    require(user, "onsite_file", case)
    with acting_as(user):
        case.onsite_filed_at = timezone.now()
        paid = Payment.objects.filter(case=case, state=Payment.State.PAID).exists()
        if case.fine > 0 and not paid:
            case.status = Status.EXECUTING
        else:
            case.status, case.executed_at = Status.EXECUTED, case.executed_at or timezone.now()
        case.save()
        CaseLog.record(case, "onsite_file", user)
    return case
