"""Production without a payment gateway: DisabledPaymentProvider (no QR, pay at the bank counter, notices 503),
and migration 0002 rotating only the references of payments still pending."""
import importlib

import pytest
from django.apps import apps as django_apps

from apps.cases import checks, documents, pdf, selectors, services
from apps.cases import payment_provider as pp
from apps.cases.models import Payment

from .conftest import PERSON_ID

DISABLED = "apps.cases.payment_provider.DisabledPaymentProvider"
URL = "/api/cases/payments/callback/"


@pytest.fixture
def onsite_case(officer1, officer2, squad_leader, vendor_cause, dhm_place):
    case = services.case_onsite_decide(user=officer1, co_officer=officer2, cause=vendor_cause, party_kind="citizen", party_name="张三丰",
                                       party_code=PERSON_ID, amount="150", facts="在东华门大街占道经营", place=dhm_place)
    return services.case_onsite_file(user=squad_leader, case=case)


@pytest.fixture
def production_without_gateway(settings):
    settings.DEMO_MODE = False
    settings.CASES_PAYMENT_PROVIDER = DISABLED
    settings.CASES_PAYMENT_SECRET = "s" * 40
    return settings


def test_the_checks_accept_the_disabled_provider_with_a_secret(production_without_gateway):
    assert not pp.is_simulated(pp.DisabledPaymentProvider)
    assert checks.payment_provider_check() == []
    assert isinstance(pp.get_provider(), pp.DisabledPaymentProvider)


def test_without_a_provider_production_still_fails_and_the_hint_names_the_disabled_provider(settings):
    settings.DEMO_MODE = False
    settings.CASES_PAYMENT_PROVIDER = ""
    settings.CASES_PAYMENT_SECRET = "s" * 40
    (problem,) = [p for p in checks.payment_provider_check() if p.id == "cases.E001"]
    assert "DisabledPaymentProvider" in problem.hint


def test_the_disabled_provider_gives_no_pay_url_and_no_qr():
    reference = pp.new_payment_reference()
    order = pp.DisabledPaymentProvider().create_order(reference=reference, amount_fen=15000, description="x")
    assert (order.reference, order.pay_url, order.qr_payload) == (reference, "", "")


@pytest.mark.django_db
def test_the_notice_endpoint_answers_503_in_the_api_error_format(api, onsite_case, production_without_gateway):
    body, headers = pp.LocalPaymentProvider(secret="s" * 40).build_notice(reference=onsite_case.payment.reference, amount_fen=15000)
    extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
    response = api.generic("POST", URL, body, content_type="application/json", **extra)
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "payment_provider_disabled"
    onsite_case.payment.refresh_from_db()
    assert onsite_case.payment.state == Payment.State.PENDING


@pytest.mark.django_db
def test_the_cashier_does_not_exist_with_the_disabled_provider(client, onsite_case, production_without_gateway):
    assert client.get(f"/cases/pay/{onsite_case.payment.reference}/").status_code == 404


@pytest.mark.django_db
def test_a_decision_renders_without_a_qr_and_says_to_pay_at_the_bank_counter(onsite_case, production_without_gateway, monkeypatch):
    rendered, qr_payloads = [], []
    real_render, real_cell = pdf.render_pdf, pdf._qr_cell
    monkeypatch.setattr(pdf, "render_pdf", lambda content: rendered.append(content) or real_render(content))
    monkeypatch.setattr(pdf, "_qr_cell", lambda payload, *a, **k: qr_payloads.append(payload) or real_cell(payload, *a, **k))
    document = documents.issue(case=onsite_case, kind="onsite_decision", payment=onsite_case.payment)
    (content,) = rendered
    assert content.payment_qr == ""
    assert qr_payloads == [content.verify_url]  # the verification QR only, no payment QR
    assert dict(content.fields)["缴款方式"] == documents.BANK_COUNTER_TEXT
    assert dict(content.fields)["缴款编号"] == pp.format_reference(onsite_case.payment.reference)
    assert any(documents.BANK_COUNTER_TEXT in line for line in content.body) and not any("二维码" in line for line in content.body)
    document.file.open("rb")
    assert document.file.read(5) == b"%PDF-"


@pytest.mark.django_db
def test_the_pay_summary_uses_the_services_amount_due(onsite_case, monkeypatch):
    from decimal import Decimal

    monkeypatch.setattr(services, "amount_due_on", lambda case, on_date: (Decimal("150.00"), Decimal("4.50")))
    summary = selectors.payment_public_summary(payment=onsite_case.payment, on_date=None)
    assert (summary["late_fee"], summary["total"], summary["total_fen"]) == (Decimal("4.50"), Decimal("154.50"), 15450)


@pytest.mark.django_db
def test_migration_0002_rotates_only_the_references_of_pending_payments(onsite_case):
    migration = importlib.import_module("apps.cases.migrations.0002_payment_reference_random")
    paid = onsite_case.payment
    Payment.objects.filter(pk=paid.pk).update(state=Payment.State.PAID)
    before = dict(Payment.objects.values_list("pk", "reference"))
    pending = set(Payment.objects.filter(state=Payment.State.PENDING).values_list("pk", flat=True))
    migration.rotate(django_apps, None)
    after = dict(Payment.objects.values_list("pk", "reference"))
    assert after[paid.pk] == before[paid.pk]  # a paid fine keeps the reference the bank's records carry
    assert all(after[pk] != before[pk] and pp.payment_reference_valid(after[pk]) for pk in pending)
