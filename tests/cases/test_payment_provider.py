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
    return pp.new_payment_reference()


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


@pytest.mark.parametrize("offset", [-301, -86400, 61, 301])
def test_a_correctly_signed_notice_older_than_five_minutes_or_dated_a_minute_ahead_is_refused_as_stale(reference, offset):
    # The sender's clock runs ``offset`` seconds ahead of ours: a positive offset is a future-dated notice.
    sender = pp.LocalPaymentProvider(secret="test-secret", clock=lambda: NOW + offset)
    receiver = pp.LocalPaymentProvider(secret="test-secret", clock=lambda: NOW)
    body, headers = sender.build_notice(reference=reference, amount_fen=20000, paid_at=PAID_AT)
    error = refused_with("payment_notice_stale", lambda: receiver.parse_notice(body=body, headers=headers))
    assert error.details["allowed_seconds"] == 300 and error.details["allowed_future_seconds"] == 60


@pytest.mark.parametrize("offset", [-300, 0, 60])
def test_a_notice_up_to_five_minutes_old_or_a_minute_ahead_is_accepted(reference, offset):
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


def test_without_a_configured_secret_the_demo_makes_a_private_random_one_not_derived_from_secret_key(settings, tmp_path):
    settings.CASES_PAYMENT_SECRET = ""
    settings.DEMO_MODE = True
    settings.VAR_DIR = tmp_path
    settings.SECRET_KEY = "key-one"
    first = pp.payment_secret()
    assert first == pp.payment_secret()  # stable for the installation
    assert len(first) >= pp.MIN_SECRET_LENGTH
    assert first != hmac.new(b"key-one", b"cityenforce.cases.payment-notice.v1", hashlib.sha256).digest()  # the old, public derivation
    settings.SECRET_KEY = "key-two"
    assert pp.payment_secret() == first  # not derived from SECRET_KEY
    assert (tmp_path / pp.SECRET_FILE_NAME).stat().st_mode & 0o077 == 0  # readable by its owner only
    settings.VAR_DIR = tmp_path / "another-installation"
    assert pp.payment_secret() != first


def test_without_demo_mode_an_unset_secret_is_refused(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.CASES_PAYMENT_SECRET = ""
    settings.DEMO_MODE = False
    with pytest.raises(ImproperlyConfigured):
        pp.payment_secret()


def test_get_provider_defaults_to_the_simulated_local_provider_in_demo_mode_only(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.DEMO_MODE = True
    settings.CASES_PAYMENT_PROVIDER = ""
    provider = pp.get_provider()
    assert isinstance(provider, pp.LocalPaymentProvider) and provider.name == "local" and provider.simulated
    assert isinstance(provider, pp.PaymentProvider)
    settings.DEMO_MODE = False
    with pytest.raises(ImproperlyConfigured):
        pp.get_provider()
    settings.CASES_PAYMENT_PROVIDER = "apps.cases.payment_provider.LocalPaymentProvider"
    with pytest.raises(ImproperlyConfigured):
        pp.get_provider()


class RecordingProvider(pp.LocalPaymentProvider):
    name = "recording"


def test_get_provider_follows_the_setting(settings):
    settings.CASES_PAYMENT_PROVIDER = f"{__name__}.RecordingProvider"
    assert pp.get_provider().name == "recording"


def test_a_provider_built_on_the_local_one_is_still_a_simulation_outside_demo_mode(settings):
    from django.core.exceptions import ImproperlyConfigured

    assert pp.is_simulated(RecordingProvider)
    settings.DEMO_MODE = False
    settings.CASES_PAYMENT_PROVIDER = f"{__name__}.RecordingProvider"
    with pytest.raises(ImproperlyConfigured):
        pp.get_provider()


def test_a_reference_is_printable_and_carries_a_check_character(reference):
    assert reference.startswith("CE") and len(reference) == 23
    assert all(ch in pp.REFERENCE_ALPHABET for ch in reference[2:-1])
    assert reference[-1] in ALPHABET
    assert pp.payment_reference_valid(reference)
    assert pp.payment_reference_valid(reference.lower())
    assert pp.payment_reference_valid(pp.format_reference(reference))
    assert pp.payment_reference_valid(f"{reference[:2]}-{reference[2:8]} {reference[8:12]}-{reference[12:]}")
    assert pp.format_reference(reference).replace(" ", "") == reference


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
    assert not pp.payment_reference_valid("CE11010120260000145")  # the old sequential shape


def test_references_are_random_not_a_sequence():
    refs = [pp.new_payment_reference() for _ in range(2000)]
    assert len(set(refs)) == len(refs)
    # Every position of the random part takes many values: nothing is fixed by district, year or order.
    for position in range(2, 2 + pp.REFERENCE_RANDOM_CHARS):
        assert len({r[position] for r in refs}) == len(pp.REFERENCE_ALPHABET)
    assert pp.REFERENCE_RANDOM_CHARS * 5 >= 100  # bits of randomness
