"""Fines collected on the spot (当场收缴, arts. 68–71): only 100 yuan or less, or in a remote place where paying later is
really hard and the party asks; the official receipt's number; the hand-in to the bureau within 2 working days."""
import re
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.cases import events, lawdays
from apps.cases.models import Case, CashCollection, CaseLog, Payment
from apps.cases.services._common import illegal, locked, mark_executed, require
from apps.cases.services.payments import amount_due_on, payment_for
from apps.gbcp.audit import acting_as
from apps.gbcp.errors import ApplicationError

SMALL_FINE_LIMIT = Decimal("100.00")  # art. 68(1): 一百元以下
RECEIPT_NUMBER = re.compile(r"^[A-Za-z0-9-]{4,32}$")


def _bad(message, field, code):
    return ApplicationError(message, code=code, details={field: [message]})


@transaction.atomic
def case_cash_collect(*, user, case: Case, ground: str, receipt_number: str, reason: str = "", collected_at=None) -> CashCollection:
    """An officer takes the fine (plus any late fee due that day) in cash against the provincial finance department's
    official receipt; the fine is settled and the money must reach the bureau within 2 working days (art. 71)."""
    case = locked(case.pk)
    require(user, "cash_collect", case)
    reason = (reason or "").strip()
    if ground == CashCollection.Ground.SMALL:
        if case.fine > SMALL_FINE_LIMIT:
            raise _bad(_("A fine above 100 yuan may be collected on the spot only in a remote or hard-to-reach place where paying "
                         "later is really hard and the party asks for it (arts. 68, 69); otherwise the party pays at the bank."),
                       "ground", "cash_not_allowed")
    elif ground == CashCollection.Ground.REMOTE:
        if not reason:
            raise _bad(_("Record why paying at the bank or electronically is really hard for the party here (art. 69)."), "reason", "reason_required")
    else:
        raise _bad(_("Choose the ground for collecting on the spot."), "ground", "invalid_ground")
    receipt_number = (receipt_number or "").strip().upper()
    if not RECEIPT_NUMBER.match(receipt_number):
        raise _bad(_("Give the number of the official receipt (专用票据), 4 to 32 letters or digits."), "receipt_number", "receipt_required")
    if CashCollection.objects.filter(receipt_number=receipt_number).exists():
        raise _bad(_("This receipt number was already used."), "receipt_number", "receipt_used")
    collected_at = collected_at or timezone.now()
    fine, fee = amount_due_on(case, timezone.localtime(collected_at).date())
    with acting_as(user):
        payment = Payment.objects.select_for_update().get(pk=payment_for(case).pk)
        try:
            with transaction.atomic():
                collection = CashCollection.objects.create(
                    case=case, ground=ground, reason=reason, amount=fine + fee, late_fee=fee, receipt_number=receipt_number, collected_by=user,
                    collected_at=collected_at, handin_due=lawdays.end_of_last_day(collected_at, lawdays.CASH_HANDIN))
        except IntegrityError:  # the same receipt at the same moment on another case
            raise _bad(_("This receipt number was already used."), "receipt_number", "receipt_used") from None
        payment.state, payment.paid_at, payment.channel = Payment.State.PAID, collected_at, "cash"
        payment.amount_paid, payment.late_fee = fine + fee, fee
        payment.save()
        mark_executed(case, user, "cash_collect", receipt_number=receipt_number, amount=str(fine + fee), ground=ground,
                      handin_due=collection.handin_due.isoformat())
    return collection


@transaction.atomic
def case_cash_handin(*, user, case: Case, reference: str, handed_in_at=None) -> CashCollection:
    """The cash reaches the bureau (or its bank account): who, when, and the bank slip or the bureau's receipt reference.
    A late hand-in is recorded, and logged as late."""
    case = locked(case.pk)
    require(user, "cash_handin", case)
    collection = CashCollection.objects.select_for_update().get(case=case)
    reference = (reference or "").strip()
    if not reference:
        raise _bad(_("Give the bank slip or the bureau's receipt reference."), "reference", "reference_required")
    handed_in_at = handed_in_at or timezone.now()
    if handed_in_at < collection.collected_at:
        raise _bad(_("The hand-in cannot precede the collection."), "handed_in_at", "invalid_time")
    with acting_as(user):
        collection.handed_in_at, collection.handed_in_by, collection.handin_reference = handed_in_at, user, reference
        collection.save()
        CaseLog.record(case, "cash_handin", user, reference=reference, late=handed_in_at > collection.handin_due)
    return collection


def cash_handed_in(case):
    """A refusal for closing the case while collected cash is still with the officer."""
    if CashCollection.objects.filter(case=case, handed_in_at__isnull=True).exists():
        raise illegal(_("The cash collected on the spot must be handed in to the bureau before the case is closed."))


def cash_handin_sweep(*, now=None) -> int:
    """Warn the collecting officer and the squad leader once on the hand-in's last day (and when it has passed)."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    sent = 0
    due = (CashCollection.objects.filter(handed_in_at__isnull=True, warned=False)
           .select_related("case", "case__owner", "case__organization"))
    for collection in due:
        if timezone.localtime(collection.handin_due).date() > today:
            continue
        with transaction.atomic():
            if not CashCollection.objects.filter(pk=collection.pk, warned=False).update(warned=True):
                continue
            case = collection.case
            message = _("Case %(number)s: hand the cash of receipt %(receipt)s in to the bureau by %(due)s") % {
                "number": case.number, "receipt": collection.receipt_number, "due": timezone.localtime(collection.handin_due).date()}
            events.case_deadline(case, "cash_handin", message)
            CaseLog.record(case, "cash_handin_warning", None, receipt_number=collection.receipt_number)
            sent += 1
    return sent
