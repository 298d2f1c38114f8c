"""Payment notices delivered at the same moment (issue 10, finding 9): on SQLite and on PostgreSQL, ten copies of one
notice all get the same 200 and one payment is recorded; ten different notices for one fine get one payment."""
import threading

import pytest
from django.core.management import call_command
from django.db import connection
from rest_framework.test import APIClient

from apps.cases import payment_provider as pp
from apps.cases import services
from apps.cases.models import CaseLog, Payment, PaymentNotice, Status

from .conftest import PERSON_ID, TEST_CAUSES

URL = "/api/cases/payments/callback/"
DELIVERIES = 10


@pytest.fixture
def fine_awaiting_payment(transactional_db):
    """A filed on-the-spot fine of 150 yuan in a freshly seeded one-district city (a transactional test starts empty)."""
    from apps.accounts.models import User
    from apps.cases.models import CaseCause
    from apps.gbcp.models import Place

    with open("/dev/null", "w") as quiet:
        call_command("seed_demo", districts="110101", places=5, entities=0, quiet_progress=True, stdout=quiet)
    services.catalogue_load(user=None, causes=TEST_CAUSES)
    officer1, officer2, squad = (User.objects.get(username=n) for n in ("dhm_officer1", "dhm_officer2", "dhm_leader"))
    place = Place.objects.filter(region__code__startswith="110101001").order_by("id").first()
    case = services.case_onsite_decide(user=officer1, co_officer=officer2, cause=CaseCause.objects.get(code="ZZ-001"), party_kind="citizen",
                                       party_name="张三", party_code=PERSON_ID, amount="150", facts="占道经营", place=place)
    return services.case_onsite_file(user=squad, case=case)


def _deliver_at_once(notices):
    """POST each (body, headers) from its own thread and connection, all released together; the responses in order."""
    barrier = threading.Barrier(len(notices))
    answers = [None] * len(notices)

    def deliver(index, body, headers):
        extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
        try:
            barrier.wait(timeout=30)
            response = APIClient().generic("POST", URL, body, content_type="application/json", **extra)
            answers[index] = (response.status_code, response.json())
        except Exception as exc:  # a server error must show up as a failed assertion, not a hung thread
            answers[index] = (type(exc).__name__, str(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver, args=(i, body, headers)) for i, (body, headers) in enumerate(notices)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return answers


@pytest.mark.django_db(transaction=True)
def test_ten_copies_of_one_notice_at_once_all_get_the_same_200_and_one_payment_is_recorded(fine_awaiting_payment):
    case = fine_awaiting_payment
    notice = pp.LocalPaymentProvider().build_notice(reference=case.payment.reference, amount_fen=15000, notice_id="GW-20261127-0001")
    answers = _deliver_at_once([notice] * DELIVERIES)
    assert [status for status, _ in answers] == [200] * DELIVERIES, answers
    assert {(body["ok"], body["reference"], body["state"]) for _, body in answers} == {(True, case.payment.reference, "paid")}
    assert sum(body["newly_paid"] for _, body in answers) == 1
    assert PaymentNotice.objects.filter(payment=case.payment).count() == 1
    assert CaseLog.objects.filter(case=case, action="paid").count() == 1
    case.refresh_from_db()
    assert case.payment.state == Payment.State.PAID and case.status == Status.EXECUTED


@pytest.mark.django_db(transaction=True)
def test_ten_different_notices_for_one_fine_at_once_record_one_payment_and_the_rest_are_409(fine_awaiting_payment):
    case = fine_awaiting_payment
    provider = pp.LocalPaymentProvider()
    notices = [provider.build_notice(reference=case.payment.reference, amount_fen=15000, notice_id=f"GW-{i}") for i in range(DELIVERIES)]
    answers = _deliver_at_once(notices)
    statuses = sorted(status for status, _ in answers)
    assert statuses == [200] + [409] * (DELIVERIES - 1), answers
    assert {body["error"]["code"] for status, body in answers if status == 409} == {"already_paid"}
    assert PaymentNotice.objects.filter(payment=case.payment).count() == 1
    assert CaseLog.objects.filter(case=case, action="paid").count() == 1


@pytest.mark.django_db(transaction=True)
def test_copies_of_one_notice_and_a_different_amount_at_once_never_pay_the_wrong_amount(fine_awaiting_payment):
    case = fine_awaiting_payment
    provider = pp.LocalPaymentProvider()
    right = provider.build_notice(reference=case.payment.reference, amount_fen=15000, notice_id="GW-RIGHT")
    wrong = provider.build_notice(reference=case.payment.reference, amount_fen=1, notice_id="GW-WRONG")
    answers = _deliver_at_once([right] * 5 + [wrong] * 5)
    assert [status for status, _ in answers[:5]] == [200] * 5, answers
    # The wrong amount is refused as wrong (400) if it came first, or as a second payment (409) after the right one.
    assert all(status in (400, 409) for status, _ in answers[5:]), answers
    assert {body["error"]["code"] for _, body in answers[5:]} <= {"wrong_amount", "already_paid"}
    assert list(PaymentNotice.objects.filter(payment=case.payment).values_list("amount_fen", flat=True)) == [15000]
