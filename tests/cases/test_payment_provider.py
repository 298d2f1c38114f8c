import datetime
import hashlib
import hmac
import json

import pytest

from apps.cases import payment_provider as pp
from apps.gbcp.citycode import ALPHABET
from apps.gbcp.errors import ApplicationError

NOW = 1_795_000_000  # a fixed clock: no test depends on the real time
PAID_AT = datetime.datetime(2026, 11, 21, 10, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))


@pytest.fixture
def provider():
    return pp.LocalPaymentProvider(secret="test-secret", clock=lambda: NOW)


@pytest.fixture
def reference():
    return pp.payment_reference(case_number_seq=123, district_code="110101", year=2026)


def signed(body: bytes, timestamp: int, secret: bytes = b"test-secret") -> dict:
    signature = hmac.new(secret, f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return {"X-Pay-Timestamp": str(timestamp), "X-Pay-Signature": signature}


def refused_with(code, call):
    with pytest.raises(ApplicationError) as caught:
        call()
    assert caught.value.code == code
    return caught.value


def test_an_order_carries_a_pay_url_and_a_qr_payload(provider, reference):
    order = provider.create_order(reference=reference, amount_fen=20000, description="店外经营罚款")
    assert order == pp.PaymentOrder(
        reference=reference, amount_fen=20000, pay_url=f"/cases/pay/{reference}/", qr_payload=f"cityenforce-pay:{reference}:20000"
    )


@pytest.mark.parametrize("amount", [0, -100, 199.5, "20000", True])
def test_an_order_for_no_money_or_a_non_integer_amount_is_refused(provider, reference, amount):
    refused_with("payment_order_invalid", lambda: provider.create_order(reference=reference, amount_fen=amount, description=""))


def test_an_order_with_a_mistyped_reference_is_refused(provider, reference):
    typo = reference[:-2] + ("1" if reference[-2] != "1" else "2") + reference[-1]
    refused_with("payment_order_invalid", lambda: provider.create_order(reference=typo, amount_fen=100, description=""))


def test_a_built_notice_parses_back_into_the_payment(provider, reference):
    body, headers = provider.build_notice(reference=reference, amount_fen=20000, notice_id="N-1", paid_at=PAID_AT, channel="wechat")
    notice = provider.parse_notice(body=body, headers=headers)
    assert notice.notice_id == "N-1"
    assert notice.reference == reference
    assert notice.amount_fen == 20000
    assert notice.paid_at == PAID_AT
    assert notice.channel == "wechat"
    assert notice.raw == json.loads(body)


def test_a_notice_gets_a_fresh_id_and_the_current_time_when_none_are_given(provider, reference):
    first = provider.parse_notice(body=(b := provider.build_notice(reference=reference, amount_fen=100))[0], headers=b[1])
    second = provider.parse_notice(body=(c := provider.build_notice(reference=reference, amount_fen=100))[0], headers=c[1])
    assert first.notice_id != second.notice_id
    assert first.paid_at.tzinfo is not None and first.channel == "local"


def test_headers_are_found_in_any_spelling_including_django_meta(provider, reference):
    body, headers = provider.build_notice(reference=reference, amount_fen=500, paid_at=PAID_AT)
    lower = {key.lower(): value for key, value in headers.items()}
    meta = {"HTTP_" + key.upper().replace("-", "_"): value for key, value in headers.items()}
    assert provider.parse_notice(body=body, headers=lower).amount_fen == 500
    assert provider.parse_notice(body=body, headers=meta).amount_fen == 500


def test_a_changed_byte_in_the_body_is_refused(provider, reference):
    body, headers = provider.build_notice(reference=reference, amount_fen=20000, paid_at=PAID_AT)
    tampered = body.replace(b"20000", b"20001")
    assert tampered != body
    error = refused_with("payment_signature_invalid", lambda: provider.parse_notice(body=tampered, headers=headers))
    assert error.status_code == 403


def test_a_changed_timestamp_is_refused(provider, reference):
    body, headers = provider.build_notice(reference=reference, amount_fen=20000, paid_at=PAID_AT)
    headers["X-Pay-Timestamp"] = str(NOW + 1)
    refused_with("payment_signature_invalid", lambda: provider.parse_notice(body=body, headers=headers))


def test_a_notice_signed_with_another_secret_is_refused(provider, reference):
    other = pp.LocalPaymentProvider(secret="someone-else", clock=lambda: NOW)
    body, headers = other.build_notice(reference=reference, amount_fen=20000, paid_at=PAID_AT)
    refused_with("payment_signature_invalid", lambda: provider.parse_notice(body=body, headers=headers))


@pytest.mark.parametrize("missing", ["X-Pay-Timestamp", "X-Pay-Signature"])
def test_a_notice_without_its_signature_headers_is_refused(provider, reference, missing):
    body, headers = provider.build_notice(reference=reference, amount_fen=20000, paid_at=PAID_AT)
    del headers[missing]
    error = refused_with("payment_signature_invalid", lambda: provider.parse_notice(body=body, headers=headers))
    assert error.details == {"reason": "missing_header"}


def test_a_non_numeric_timestamp_is_refused(provider):
    body = b"{}"
    headers = signed(body, NOW) | {"X-Pay-Timestamp": "yesterday"}
    refused_with("payment_signature_invalid", lambda: provider.parse_notice(body=body, headers=headers))


@pytest.mark.parametrize("offset", [-301, 301, -86400])
def test_a_correctly_signed_notice_more_than_five_minutes_away_is_refused_as_stale(reference, offset):
    sender = pp.LocalPaymentProvider(secret="test-secret", clock=lambda: NOW + offset)
    receiver = pp.LocalPaymentProvider(secret="test-secret", clock=lambda: NOW)
    body, headers = sender.build_notice(reference=reference, amount_fen=20000, paid_at=PAID_AT)
    error = refused_with("payment_notice_stale", lambda: receiver.parse_notice(body=body, headers=headers))
    assert error.details["allowed_seconds"] == 300


@pytest.mark.parametrize("offset", [-300, 0, 300])
def test_a_notice_within_five_minutes_is_accepted(reference, offset):
    sender = pp.LocalPaymentProvider(secret="test-secret", clock=lambda: NOW + offset)
    receiver = pp.LocalPaymentProvider(secret="test-secret", clock=lambda: NOW)
    body, headers = sender.build_notice(reference=reference, amount_fen=20000, paid_at=PAID_AT)
    assert receiver.parse_notice(body=body, headers=headers).amount_fen == 20000


GOOD = {"notice_id": "N-9", "reference": "X", "amount_fen": 100, "paid_at": PAID_AT.isoformat(), "channel": "alipay"}


@pytest.mark.parametrize(
    "body, field",
    [
        (b"not json", None),
        (b"\xff\xfe", None),
        (b"[1, 2]", None),
        (json.dumps({k: v for k, v in GOOD.items() if k != "reference"}).encode(), "reference"),
        (json.dumps(GOOD | {"notice_id": ""}).encode(), "notice_id"),
        (json.dumps(GOOD | {"amount_fen": 100.5}).encode(), "amount_fen"),
        (json.dumps(GOOD | {"amount_fen": "100"}).encode(), "amount_fen"),
        (json.dumps(GOOD | {"amount_fen": -5}).encode(), "amount_fen"),
        (json.dumps(GOOD | {"amount_fen": True}).encode(), "amount_fen"),
        (json.dumps(GOOD | {"paid_at": "21/11/2026"}).encode(), "paid_at"),
        (json.dumps(GOOD | {"paid_at": "2026-11-21T10:30:00"}).encode(), "paid_at"),
        (json.dumps(GOOD | {"channel": 7}).encode(), "channel"),
    ],
)
def test_a_correctly_signed_but_malformed_notice_is_refused(provider, body, field):
    error = refused_with("payment_notice_malformed", lambda: provider.parse_notice(body=body, headers=signed(body, NOW)))
    assert error.details.get("field") == field


def test_a_well_formed_signed_body_from_outside_is_accepted(provider):
    body = json.dumps(GOOD).encode()
    notice = provider.parse_notice(body=body, headers=signed(body, NOW))
    assert notice.channel == "alipay" and notice.amount_fen == 100


def test_the_secret_comes_from_settings_when_set(settings, reference):
    settings.CASES_PAYMENT_SECRET = "from-settings"
    provider = pp.LocalPaymentProvider(clock=lambda: NOW)
    body, headers = provider.build_notice(reference=reference, amount_fen=100, paid_at=PAID_AT)
    assert headers == signed(body, NOW, secret=b"from-settings")


def test_without_a_configured_secret_one_is_derived_from_secret_key(settings):
    settings.CASES_PAYMENT_SECRET = None
    settings.SECRET_KEY = "key-one"
    first = pp.payment_secret()
    assert first == pp.payment_secret()  # stable
    assert first != b"key-one"  # not the SECRET_KEY itself
    settings.SECRET_KEY = "key-two"
    assert pp.payment_secret() != first


def test_get_provider_defaults_to_the_local_provider(settings):
    del settings.CASES_PAYMENT_PROVIDER
    provider = pp.get_provider()
    assert isinstance(provider, pp.LocalPaymentProvider) and provider.name == "local"
    assert isinstance(provider, pp.PaymentProvider)


class RecordingProvider(pp.LocalPaymentProvider):
    name = "recording"


def test_get_provider_follows_the_setting(settings):
    settings.CASES_PAYMENT_PROVIDER = f"{__name__}.RecordingProvider"
    assert pp.get_provider().name == "recording"


def test_a_reference_is_printable_and_carries_a_check_character(reference):
    assert reference.startswith("CE1101012026000123") and len(reference) == 19
    assert reference[-1] in ALPHABET
    assert pp.payment_reference_valid(reference)
    assert pp.payment_reference_valid(reference.lower())
    assert pp.payment_reference_valid(f"{reference[:2]}-{reference[2:8]} {reference[8:12]}-{reference[12:]}")


def test_every_single_mistyped_character_in_a_reference_is_caught(reference):
    for position, original in enumerate(reference):
        for replacement in ALPHABET:
            if replacement != original:
                typo = reference[:position] + replacement + reference[position + 1 :]
                assert not pp.payment_reference_valid(typo), typo


def test_references_of_other_shapes_are_not_valid(reference):
    assert not pp.payment_reference_valid("")
    assert not pp.payment_reference_valid(reference[:-1])
    assert not pp.payment_reference_valid("XX" + reference[2:])


def test_references_differ_by_district_year_and_sequence():
    refs = {
        pp.payment_reference(case_number_seq=seq, district_code=district, year=year)
        for seq in (1, 2)
        for district in ("110101", "110108")
        for year in (2026, 2027)
    }
    assert len(refs) == 8
    assert pp.payment_reference(case_number_seq=5, district_code="110101001", year=2026).startswith("CE1101012026000005")


@pytest.mark.parametrize("kwargs", [dict(case_number_seq=0), dict(case_number_seq=1_000_000), dict(district_code="东城"), dict(year=26)])
def test_a_reference_cannot_be_made_from_impossible_parts(kwargs):
    with pytest.raises(ValueError):
        pp.payment_reference(**(dict(case_number_seq=1, district_code="110101", year=2026) | kwargs))
