"""The fine to pay: its payment reference, the amount due on a day, and the provider's signed payment notice."""
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from apps.cases import discretion, events
from apps.cases.models import Instalment, Payment, PaymentNotice, PaymentTerms
from apps.cases.payment_provider import get_provider, new_payment_reference
from apps.cases.services._common import locked, mark_executed
from apps.gbcp.audit import acting_as
from apps.gbcp.errors import ApplicationError


def payment_for(case) -> Payment:
    """The case's payment, made on first need with a fresh random reference."""
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


def amount_due_on(case, on_date) -> tuple[Decimal, Decimal]:
    """(fine still owed, late fee) on ``on_date``. The late fee runs from the date in force: the approved deferral's
    (``payment_due`` moves to it), or each unpaid instalment's own date, on that instalment's amount (arts. 66, 72)."""
    if case.payment_terms == PaymentTerms.INSTALMENTS:
        unpaid = list(case.instalments.filter(paid_at__isnull=True, request__outcome="approved").values_list("amount", "due_date"))
        fees = [discretion.late_fee(fine=amount, due_date=due, on_date=on_date) for amount, due in unpaid]
        return sum((a for a, _d in unpaid), Decimal("0.00")), sum(fees, Decimal("0.00"))
    fee = discretion.late_fee(fine=case.fine, due_date=case.payment_due, on_date=on_date) if case.payment_due else Decimal("0.00")
    return case.fine, fee


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
        case = locked(target["case_id"])
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
        # With instalments the notice settles what is left; the instalments paid before keep their own sums.
        payment.amount_paid, payment.late_fee = payment.amount_paid + Decimal(notice.amount_fen) / 100, payment.late_fee + fee
        payment.save()
        Instalment.objects.filter(case=case, paid_at__isnull=True, request__outcome="approved").update(
            paid_at=notice.paid_at, reference=payment.reference, amount_paid=F("amount"))
        mark_executed(case, None, "paid", amount_fen=notice.amount_fen, late_fee=str(fee), reference=payment.reference)
    events.case_step(case, _("Fine of case %(number)s paid") % {"number": case.number})
    return payment, True
