"""Fine payment against a hostile caller (issue 10, finding 1): no simulated cashier in production, unguessable
references, a pay page that shows only what a payer needs, and notices and pay forms that refuse replay and tampering."""
import hashlib
import hmac
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import signing
from django.core.checks import Error
from django.utils import timezone

from apps.cases import checks, services
from apps.cases import payment_provider as pp
from apps.cases.models import CaseLog, Payment, PaymentNotice

from .conftest import PERSON_ID

URL = "/api/cases/payments/callback/"
STRONG_SECRET = "s" * 40
PUBLIC_DEMO_SECRET_KEY = "insecure-demo-key-only-for-the-embedded-default"


class GatewayProvider:
    """A stand-in for a real gateway's provider: not simulated, pays nothing here."""

    name = "gateway"

    def create_order(self, *, reference, amount_fen, description):
        return pp.PaymentOrder(reference=reference, amount_fen=amount_fen, pay_url=f"https://pay.example.test/{reference}", qr_payload="")

    def parse_notice(self, *, body, headers):  # pragma: no cover - not called
        raise NotImplementedError


@pytest.fixture
def onsite_case(officer1, officer2, squad_leader, vendor_cause, dhm_place):
    case = services.case_onsite_decide(user=officer1, co_officer=officer2, cause=vendor_cause, party_kind="citizen", party_name="张三丰",
                                       party_code=PERSON_ID, amount="150", facts="在东华门大街占道经营", place=dhm_place)
    return services.case_onsite_file(user=squad_leader, case=case)


def _post(api, body, headers):
    extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
    return api.generic("POST", URL, body, content_type="application/json", **extra)


def _ids(problems):
    return {p.id for p in problems}


# --- production refuses the simulation --------------------------------------------------------------------------


def test_production_with_the_simulated_cashier_or_no_secret_fails_the_system_check(settings):
    settings.DEMO_MODE = False
    settings.CASES_PAYMENT_PROVIDER = "apps.cases.payment_provider.LocalPaymentProvider"
    settings.CASES_PAYMENT_SECRET = ""
    problems = checks.payment_provider_check()
    assert {"cases.E003", "cases.E004"} <= _ids(problems)
    assert all(isinstance(p, Error) for p in problems if p.id in ("cases.E003", "cases.E004"))


def test_production_without_a_provider_or_with_a_weak_secret_fails_the_system_check(settings):
    settings.DEMO_MODE = False
    settings.CASES_PAYMENT_PROVIDER = ""
    settings.CASES_PAYMENT_SECRET = "short"
    assert {"cases.E001", "cases.E005"} <= _ids(checks.payment_provider_check())
    settings.CASES_PAYMENT_PROVIDER = f"{__name__}.GatewayProvider"
    settings.CASES_PAYMENT_SECRET = settings.SECRET_KEY = "k" * 50
    assert "cases.E005" in _ids(checks.payment_provider_check())
    settings.CASES_PAYMENT_PROVIDER = "apps.cases.no_such.Provider"
    assert "cases.E002" in _ids(checks.payment_provider_check())


def test_production_with_a_real_gateway_and_its_secret_passes_the_system_check(settings):
    settings.DEMO_MODE = False
    settings.CASES_PAYMENT_PROVIDER = f"{__name__}.GatewayProvider"
    settings.CASES_PAYMENT_SECRET = STRONG_SECRET
    assert checks.payment_provider_check() == []


def test_the_demo_with_its_simulated_cashier_passes_the_system_check(settings):
    settings.DEMO_MODE = True
    settings.CASES_PAYMENT_PROVIDER = "apps.cases.payment_provider.LocalPaymentProvider"
    settings.CASES_PAYMENT_SECRET = ""
    assert checks.payment_provider_check() == []


@pytest.mark.parametrize("provider_env", ["", "apps.cases.payment_provider.LocalPaymentProvider"])
def test_manage_py_check_refuses_to_start_production_with_the_simulated_cashier(provider_env, tmp_path):
    root = Path(__file__).resolve().parents[2]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CASES_PAYMENT", "DJANGO_SETTINGS"))}
    env.update({"CITYENFORCE_DEMO": "0", "DJANGO_SECRET_KEY": "x" * 60, "CITYENFORCE_VAR_DIR": str(tmp_path)})
    if provider_env:
        env["CASES_PAYMENT_PROVIDER"] = provider_env
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=root, env=env, capture_output=True, text=True, timeout=120)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert ("cases.E003" if provider_env else "cases.E001") in output and "cases.E004" in output


@pytest.mark.django_db
def test_the_cashier_does_not_exist_outside_demo_mode_or_with_a_real_provider(client, onsite_case, settings):
    url = f"/cases/pay/{onsite_case.payment.reference}/"
    token = client.get(url).context["pay_token"]
    settings.DEMO_MODE = False
    assert client.get(url).status_code == 404
    assert client.post(url, {"pay_token": token}).status_code == 404
    settings.DEMO_MODE = True
    settings.CASES_PAYMENT_PROVIDER = f"{__name__}.GatewayProvider"
    assert client.get(url).status_code == 404
    assert client.post(url, {"pay_token": token}).status_code == 404
    onsite_case.payment.refresh_from_db()
    assert onsite_case.payment.state == Payment.State.PENDING


# --- references -----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_guessed_references_open_no_cashier_page(client, onsite_case):
    reference = onsite_case.payment.reference
    # The finding's guesses: the old sequential shape around a real case, and fresh well-formed random ones.
    old_shape = [f"CE{onsite_case.region_code[:6]}{onsite_case.year}{seq:06d}" for seq in range(onsite_case.number_seq - 10, onsite_case.number_seq + 10)]
    guesses = [body + pp.check_char(body) for body in old_shape] + [pp.new_payment_reference() for _ in range(20)]
    assert reference not in guesses
    assert all(client.get(f"/cases/pay/{guess}/").status_code == 404 for guess in guesses)


@pytest.mark.django_db
def test_every_payment_of_the_demo_city_has_a_random_reference(onsite_case):
    references = list(Payment.objects.values_list("reference", flat=True))
    assert len(references) > 1
    assert all(pp.payment_reference_valid(r) for r in references)


@pytest.mark.django_db
def test_the_decision_prints_the_reference_in_groups_and_says_the_cashier_is_a_simulation(onsite_case):
    from apps.cases import documents

    rows = dict(documents._fields(onsite_case, "onsite_decision", onsite_case.payment))
    assert rows["缴款编号"] == pp.format_reference(onsite_case.payment.reference)
    assert "模拟" in rows["缴款方式"]


# --- the public pay page ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_pay_page_shows_what_a_payer_needs_and_no_case_internals(client, onsite_case, dhm_place):
    page = client.get(f"/cases/pay/{onsite_case.payment.reference}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "150.00" in html and pp.format_reference(onsite_case.payment.reference) in html and "张**" in html
    for secret in ("张三丰", PERSON_ID, PERSON_ID[:6], onsite_case.number, "占道经营", getattr(dhm_place, "address", "") or "\x00"):
        assert secret not in html, secret
    assert "case" not in page.context and "payment" not in page.context  # the template gets a summary, not the models


@pytest.mark.django_db
def test_the_cashier_says_on_its_face_that_it_is_a_simulation(client, onsite_case):
    url = f"/cases/pay/{onsite_case.payment.reference}/"
    chinese = client.get(url).content.decode()  # Chinese first
    assert "模拟收银台" in chinese and "不收取任何款项" in chinese and "模拟缴款" in chinese
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get(url).content.decode()
    assert "simulated cashier (demo)" in english and "SIMULATION" in english and "no money is taken" in english


# --- the pay form: no replay, no tampering ------------------------------------------------------------------


@pytest.mark.django_db
def test_the_same_pay_form_sent_twice_records_one_payment(client, onsite_case):
    url = f"/cases/pay/{onsite_case.payment.reference}/"
    token = client.get(url).context["pay_token"]
    assert client.post(url, {"pay_token": token}).status_code == 302
    assert client.post(url, {"pay_token": token}).status_code == 302
    assert PaymentNotice.objects.filter(payment=onsite_case.payment).count() == 1
    assert CaseLog.objects.filter(case=onsite_case, action="paid").count() == 1


@pytest.mark.django_db
def test_a_pay_form_without_a_valid_token_pays_nothing(client, onsite_case, squad_leader, vendor_cause, officer1, officer2, dhm_place, monkeypatch):
    url = f"/cases/pay/{onsite_case.payment.reference}/"
    other = services.case_onsite_decide(user=officer1, co_officer=officer2, cause=vendor_cause, party_kind="citizen", party_name="李四",
                                        party_code=PERSON_ID, amount="100", facts="占道", place=dhm_place)
    other_token = client.get(f"/cases/pay/{other.payment.reference}/").context["pay_token"]
    cheap = signing.dumps({"r": onsite_case.payment.reference, "a": 1, "n": "x" * 32}, key=pp.payment_secret(), salt="cityenforce.cases.cashier")
    forged = signing.dumps({"r": onsite_case.payment.reference, "a": 15000, "n": "x" * 32}, key=PUBLIC_DEMO_SECRET_KEY, salt="cityenforce.cases.cashier")
    for token in ("", "garbage", other_token, cheap, forged):
        response = client.post(url, {"pay_token": token})
        assert response.status_code == 400, token
    monkeypatch.setattr("apps.cases.views.CASHIER_TOKEN_MAX_AGE", -1)  # every token has expired
    assert client.post(url, {"pay_token": client.get(url).context["pay_token"]}).status_code == 400
    onsite_case.payment.refresh_from_db()
    assert onsite_case.payment.state == Payment.State.PENDING and not PaymentNotice.objects.filter(payment=onsite_case.payment).exists()


# --- the notice endpoint ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_notice_forged_with_the_public_demo_key_is_refused(api, onsite_case):
    # The finding: the secret used to be HMAC(SECRET_KEY, label), and the demo SECRET_KEY is public.
    derived = hmac.new(PUBLIC_DEMO_SECRET_KEY.encode(), b"cityenforce.cases.payment-notice.v1", hashlib.sha256).digest()
    for secret in (derived, PUBLIC_DEMO_SECRET_KEY.encode()):
        forged = pp.LocalPaymentProvider(secret=secret).build_notice(reference=onsite_case.payment.reference, amount_fen=15000)
        response = _post(api, *forged)
        assert response.status_code == 403 and response.json()["error"]["code"] == "payment_signature_invalid"
    onsite_case.payment.refresh_from_db()
    assert onsite_case.payment.state == Payment.State.PENDING


@pytest.mark.django_db
def test_the_same_notice_delivered_again_gets_the_same_answer_and_records_nothing_more(api, onsite_case):
    body, headers = pp.LocalPaymentProvider().build_notice(reference=onsite_case.payment.reference, amount_fen=15000, notice_id="N-SAME")
    answers = [_post(api, body, headers) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert {(a.json()["reference"], a.json()["state"]) for a in answers} == {(onsite_case.payment.reference, "paid")}
    assert [a.json()["newly_paid"] for a in answers] == [True, False, False]
    assert PaymentNotice.objects.filter(payment=onsite_case.payment).count() == 1


@pytest.mark.django_db
def test_another_notice_for_a_settled_fine_or_a_reused_notice_id_is_a_clear_409(api, onsite_case):
    provider = pp.LocalPaymentProvider()
    reference = onsite_case.payment.reference
    assert _post(api, *provider.build_notice(reference=reference, amount_fen=15000, notice_id="N-A")).status_code == 200
    second = _post(api, *provider.build_notice(reference=reference, amount_fen=15000, notice_id="N-B"))
    assert second.status_code == 409 and second.json()["error"]["code"] == "already_paid"
    other_amount = _post(api, *provider.build_notice(reference=reference, amount_fen=99900, notice_id="N-C"))
    assert other_amount.status_code == 409 and other_amount.json()["error"]["code"] == "already_paid"
    reused = _post(api, *provider.build_notice(reference=reference, amount_fen=14000, notice_id="N-A"))
    assert reused.status_code == 409 and reused.json()["error"]["code"] == "notice_conflict"
    assert PaymentNotice.objects.filter(payment=onsite_case.payment).count() == 1
    onsite_case.payment.refresh_from_db()
    assert onsite_case.payment.amount_paid == 150 and onsite_case.payment.state == Payment.State.PAID


@pytest.mark.django_db
def test_a_notice_dated_ahead_of_our_clock_is_refused(api, onsite_case):
    ahead = pp.LocalPaymentProvider(clock=lambda: timezone.now().timestamp() + 120)
    response = _post(api, *ahead.build_notice(reference=onsite_case.payment.reference, amount_fen=15000))
    assert response.status_code == 403 and response.json()["error"]["code"] == "payment_notice_stale"


@pytest.mark.django_db
def test_an_oversized_notice_is_refused_before_it_is_read(api, onsite_case):
    body, headers = pp.LocalPaymentProvider().build_notice(reference=onsite_case.payment.reference, amount_fen=15000)
    padded = body[:-1] + b',"pad":"' + b"x" * (pp.NOTICE_MAX_BYTES + 1) + b'"}'
    response = _post(api, padded, pp.LocalPaymentProvider().build_notice(reference=onsite_case.payment.reference, amount_fen=15000)[1])
    assert response.status_code == 413 and response.json()["error"]["code"] == "payload_too_large"
    onsite_case.payment.refresh_from_db()
    assert onsite_case.payment.state == Payment.State.PENDING
