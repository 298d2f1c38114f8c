"""Fine payment: the provider's signed notice through the callback — signed, unsigned, repeated, wrong amount, late fee."""
import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.cases import services
from apps.cases.models import Payment, PaymentNotice, Status
from apps.cases.payment_provider import LocalPaymentProvider

from .conftest import PERSON_ID

URL = "/api/cases/payments/callback/"


@pytest.fixture
def onsite_case(officer1, officer2, squad_leader, vendor_cause, dhm_place):
    case = services.case_onsite_decide(user=officer1, co_officer=officer2, cause=vendor_cause, party_kind="citizen", party_name="张三",
                                       party_code=PERSON_ID, amount="150", facts="占道经营", place=dhm_place)
    return services.case_onsite_file(user=squad_leader, case=case)


def _post(api, body, headers):
    extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
    return api.generic("POST", URL, body, content_type="application/json", **extra)


@pytest.mark.django_db
def test_a_signed_notice_pays_the_fine_once_even_when_repeated(api, onsite_case, squad_leader):
    provider = LocalPaymentProvider()
    body, headers = provider.build_notice(reference=onsite_case.payment.reference, amount_fen=15000, notice_id="N-1")
    first = _post(api, body, headers)
    assert first.status_code == 200 and first.json()["newly_paid"] is True
    again = _post(api, body, headers)
    assert again.status_code == 200 and again.json()["newly_paid"] is False
    assert PaymentNotice.objects.filter(payment=onsite_case.payment).count() == 1
    onsite_case.refresh_from_db()
    assert onsite_case.status == Status.EXECUTED and onsite_case.payment.state == Payment.State.PAID
    assert services.case_close(user=squad_leader, case=onsite_case).status == Status.CLOSED


@pytest.mark.django_db
def test_an_unsigned_or_tampered_notice_is_refused_and_changes_nothing(api, onsite_case):
    provider = LocalPaymentProvider()
    body, headers = provider.build_notice(reference=onsite_case.payment.reference, amount_fen=15000)
    assert _post(api, body, {}).status_code in (400, 403)
    tampered = body.replace(b"15000", b"15001")
    assert _post(api, tampered, headers).status_code in (400, 403)
    forged = LocalPaymentProvider(secret="not-the-secret").build_notice(reference=onsite_case.payment.reference, amount_fen=15000)
    assert _post(api, *forged).status_code in (400, 403)
    onsite_case.payment.refresh_from_db()
    assert onsite_case.payment.state == Payment.State.PENDING and not PaymentNotice.objects.filter(payment=onsite_case.payment).exists()


@pytest.mark.django_db
def test_a_wrong_amount_or_unknown_reference_is_a_clear_400(api, onsite_case):
    provider = LocalPaymentProvider()
    wrong = _post(api, *provider.build_notice(reference=onsite_case.payment.reference, amount_fen=10000))
    assert wrong.status_code == 400 and wrong.json()["error"]["code"] == "wrong_amount"
    assert wrong.json()["error"]["details"]["expected_fen"] == 15000
    from apps.cases.payment_provider import new_payment_reference

    unknown = _post(api, *provider.build_notice(reference=new_payment_reference(), amount_fen=15000))
    assert unknown.status_code == 400 and unknown.json()["error"]["code"] == "unknown_reference"
    onsite_case.payment.refresh_from_db()
    assert onsite_case.payment.state == Payment.State.PENDING


@pytest.mark.django_db
def test_a_late_payment_must_include_the_late_fee(api, onsite_case):
    provider = LocalPaymentProvider()
    paid_at = timezone.make_aware(dt.datetime.combine(onsite_case.payment_due + dt.timedelta(days=2), dt.time(10)))
    short = _post(api, *provider.build_notice(reference=onsite_case.payment.reference, amount_fen=15000, paid_at=paid_at))
    assert short.status_code == 400
    # 150 yuan + 2 days × 3% × 150 = 159 yuan
    ok = _post(api, *provider.build_notice(reference=onsite_case.payment.reference, amount_fen=15900, paid_at=paid_at))
    assert ok.status_code == 200
    onsite_case.payment.refresh_from_db()
    assert onsite_case.payment.late_fee == Decimal("9.00")


@pytest.mark.django_db
def test_the_cashier_page_shows_the_amount_and_pays_through_the_same_service(client, onsite_case):
    page = client.get(f"/cases/pay/{onsite_case.payment.reference}/")
    assert page.status_code == 200 and "150.00" in page.content.decode()
    paid = client.post(f"/cases/pay/{onsite_case.payment.reference}/", {"pay_token": page.context["pay_token"]})
    assert paid.status_code == 302
    onsite_case.refresh_from_db()
    assert onsite_case.payment.state == Payment.State.PAID and onsite_case.status == Status.EXECUTED
    assert client.get("/cases/pay/CE0000000000000000X/").status_code == 404


@pytest.mark.django_db
def test_a_fine_paid_before_service_executes_the_case_when_it_is_served(api, investigating, officer1, legal, leader):
    services.case_set_penalty(user=officer1, case=investigating, level="ordinary", fine="1000", departure_reason="依情节")
    services.case_submit_review(user=officer1, case=investigating)
    services.case_legal_review(user=legal, case=investigating, passed=True)
    services.case_leader_approve(user=leader, case=investigating)
    services.case_notify(user=officer1, case=investigating)
    case = services.case_decide(user=leader, case=investigating)
    response = _post(api, *LocalPaymentProvider().build_notice(reference=case.payment.reference, amount_fen=100000))
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.status == Status.DECIDED
    case = services.case_serve(user=officer1, case=case, method="on_the_spot", proof={"recipient": "张三"})
    assert case.status == Status.EXECUTED
