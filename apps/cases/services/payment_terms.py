"""Paying the fine later or in parts (暂缓或者分期缴纳, art. 66): the party's application, the leader's decision, the
instalments paid, each with its own late fee counted from its approved date (art. 72)."""
import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import Role
from apps.cases import discretion, events
from apps.cases.models import Case, CaseLog, Instalment, Payment, PaymentTermRequest, PaymentTerms
from apps.cases.services._common import illegal, locked, mark_executed, money, require
from apps.cases.services.payments import payment_for
from apps.gbcp.audit import acting_as
from apps.gbcp.errors import ApplicationError

MAX_INSTALMENTS = 24


def _invalid(message, field, code="invalid_terms"):
    return ApplicationError(message, code=code, details={field: [message]})


def _clean_schedule(case, schedule, today) -> list[tuple[Decimal, dt.date]]:
    """[(amount, date)], dates strictly rising and not past, every amount positive, the sum exactly the fine."""
    if not schedule or len(schedule) < 2:
        raise _invalid(_("Instalments need at least two payments, each with an amount and a date."), "schedule")
    if len(schedule) > MAX_INSTALMENTS:
        raise _invalid(_("At most %(n)s instalments.") % {"n": MAX_INSTALMENTS}, "schedule")
    rows, previous = [], None
    for item in schedule:
        amount, due = money(item.get("amount")), item.get("due_date")
        if not isinstance(due, dt.date):
            raise _invalid(_("Each instalment needs a date."), "schedule")
        if amount <= 0:
            raise _invalid(_("Each instalment must be more than 0 yuan."), "schedule")
        if due < today or (previous is not None and due <= previous):
            raise _invalid(_("Instalment dates must be in the future and each later than the one before."), "schedule")
        rows.append((amount, due))
        previous = due
    total = sum(amount for amount, _due in rows)
    if total != case.fine:
        raise _invalid(_("The instalments add up to %(total)s yuan; they must add up to the fine of %(fine)s yuan.") % {
            "total": total, "fine": case.fine}, "schedule", code="schedule_sum")
    return rows


@transaction.atomic
def case_payment_terms_request(*, user, case: Case, kind: str, reason: str, new_due=None, schedule=None, at=None) -> PaymentTermRequest:
    """The party, in real economic difficulty, applies to defer the fine to ``new_due`` or to pay it by ``schedule``
    (``[{"amount", "due_date"}]``, adding up to the fine); an officer of the squad records the application."""
    case = locked(case.pk)
    require(user, "payment_terms", case)
    at = at or timezone.now()
    today = timezone.localtime(at).date()
    if kind not in PaymentTermRequest.Kind.values:
        raise _invalid(_("Choose deferral or instalments."), "kind")
    if not (reason or "").strip():
        raise _invalid(_("Describe the party's economic difficulty."), "reason", code="reason_required")
    rows = []
    if kind == PaymentTermRequest.Kind.DEFERRAL:
        if not isinstance(new_due, dt.date) or new_due <= (case.payment_due or today) or new_due < today:
            raise _invalid(_("The new payment date must be later than the current one (%(due)s).") % {"due": case.payment_due or today}, "new_due")
    else:
        rows = _clean_schedule(case, schedule, today)
        new_due = None
    with acting_as(user):
        request = PaymentTermRequest.objects.create(case=case, kind=kind, reason=reason.strip(), new_due=new_due, original_due=case.payment_due,
                                                    requested_by=user, requested_at=at)
        Instalment.objects.bulk_create([Instalment(request=request, case=case, number=i, amount=amount, due_date=due)
                                        for i, (amount, due) in enumerate(rows, start=1)])
        case.payment_terms = PaymentTerms.PENDING
        case.save()
        CaseLog.record(case, "payment_terms_request", user, kind=kind, new_due=new_due.isoformat() if new_due else None,
                       schedule=[{"amount": str(a), "due_date": d.isoformat()} for a, d in rows])
    events.case_step(case, _("Case %(number)s: deferral or instalments to decide") % {"number": case.number}, roles=(Role.LEADER,))
    return request


def pending_request(case) -> PaymentTermRequest:
    request = PaymentTermRequest.objects.select_for_update().filter(case=case, outcome=PaymentTermRequest.Outcome.PENDING).first()
    if request is None:
        raise illegal(_("No application awaits a decision."))
    return request


@transaction.atomic
def case_payment_terms_decide(*, user, case: Case, approve: bool, reason: str = "") -> PaymentTermRequest:
    """A leader approves the application as asked (the new date or the schedule then governs payment and the late
    fee) or refuses it with a reason (the fine stays due as before)."""
    case = locked(case.pk)
    require(user, "payment_terms_decide", case)
    request = pending_request(case)
    reason = (reason or "").strip()
    if not approve and not reason:
        raise _invalid(_("A refusal needs a reason."), "reason", code="reason_required")
    with acting_as(user):
        request.outcome = PaymentTermRequest.Outcome.APPROVED if approve else PaymentTermRequest.Outcome.REFUSED
        request.decided_by, request.decided_at, request.decision_reason = user, timezone.now(), reason
        request.save()
        if not approve:
            case.payment_terms = PaymentTerms.REFUSED
            CaseLog.record(case, "payment_terms_refuse", user, reason=reason, kind=request.kind)
        elif request.kind == PaymentTermRequest.Kind.DEFERRAL:
            case.payment_terms, case.payment_due = PaymentTerms.DEFERRAL, request.new_due
            CaseLog.record(case, "payment_terms_approve", user, reason=reason, kind=request.kind, payment_due=request.new_due.isoformat())
        else:
            case.payment_terms = PaymentTerms.INSTALMENTS
            case.payment_due = request.instalments.order_by("number").values_list("due_date", flat=True).first()
            CaseLog.record(case, "payment_terms_approve", user, reason=reason, kind=request.kind, payment_due=case.payment_due.isoformat())
        # The payment warning is owed again for the new date.
        case.alerts_sent = [a for a in case.alerts_sent if not a.startswith("payment:")]
        case.save()
    return request


def unpaid_instalments(case):
    return Instalment.objects.filter(case=case, request__outcome=PaymentTermRequest.Outcome.APPROVED, paid_at__isnull=True).order_by("number")


def instalment_due_on(instalment, on_date) -> tuple[Decimal, Decimal]:
    """(amount, late fee) of one instalment on ``on_date``: 3 % a day after its own date, capped at its amount."""
    return instalment.amount, discretion.late_fee(fine=instalment.amount, due_date=instalment.due_date, on_date=on_date)


@transaction.atomic
def case_instalment_pay(*, user, case: Case, instalment_id: int, amount, reference: str, paid_at=None) -> Instalment:
    """An instalment paid at the bank (its slip number recorded): the amount must be the instalment plus its late fee
    on the day paid. The case is executed when the last one is paid."""
    case = locked(case.pk)
    require(user, "instalment_pay", case)
    payment = Payment.objects.select_for_update().get(pk=payment_for(case).pk)
    instalment = unpaid_instalments(case).select_for_update().filter(pk=instalment_id).first()
    if instalment is None:
        raise _invalid(_("No such unpaid instalment."), "instalment", code="unknown_instalment")
    reference = (reference or "").strip()
    if not reference:
        raise _invalid(_("Give the bank slip or receipt number."), "reference", code="reference_required")
    paid_at = paid_at or timezone.now()
    due, fee = instalment_due_on(instalment, paid_at)
    if money(amount) != due + fee:
        raise ApplicationError(_("Wrong amount: %(due)s yuan is due for this instalment (%(amount)s plus late fee %(fee)s).") % {
            "due": due + fee, "amount": due, "fee": fee}, code="wrong_amount", details={"amount": [str(due + fee)]})
    with acting_as(user):
        instalment.paid_at, instalment.amount_paid, instalment.late_fee = paid_at, due + fee, fee
        instalment.reference, instalment.recorded_by = reference, user
        instalment.save()
        payment.amount_paid += due + fee
        payment.late_fee += fee
        rest = unpaid_instalments(case).first()
        CaseLog.record(case, "instalment_paid", user, number=instalment.number, amount=str(due), late_fee=str(fee), reference=reference)
        if rest is None:
            payment.state, payment.paid_at, payment.channel = Payment.State.PAID, paid_at, "instalments"
            payment.save()
            mark_executed(case, user, "paid", late_fee=str(payment.late_fee), reference=payment.reference)
        else:
            payment.save()
            case.payment_due = rest.due_date
            case.alerts_sent = [a for a in case.alerts_sent if not a.startswith("payment:")]
            case.save()
    return instalment
