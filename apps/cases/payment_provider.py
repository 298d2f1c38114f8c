"""Fine payment (罚款缴纳): the provider interface, a local provider that behaves like a real one,
and printable payment references with a check character.

A provider makes an order for a fine (a pay URL and a QR payload printed on the decision) and
later sends a signed notice when the party has paid; the cases app turns a verified notice
into a payment record. The local provider signs its notices exactly as a real gateway would
(HMAC-SHA256 over ``"<timestamp>." + body``, timestamp checked against replay), so the
webhook path is exercised end to end without a third party.

The shared secret is ``settings.CASES_PAYMENT_SECRET``. When it is not set, a stable secret is
derived from ``settings.SECRET_KEY`` with HMAC-SHA256 under a fixed label, so a single
installation works out of the box and rotating SECRET_KEY also rotates the payment secret.
Set CASES_PAYMENT_SECRET explicitly whenever a separate process (a real gateway, a test
harness) has to sign notices.
"""
import datetime
import hashlib
import hmac
import json
import re
import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from apps.gbcp.citycode import check_char
from apps.gbcp.errors import ApplicationError

DEFAULT_PROVIDER = "apps.cases.payment_provider.LocalPaymentProvider"
TIMESTAMP_HEADER = "X-Pay-Timestamp"
SIGNATURE_HEADER = "X-Pay-Signature"
MAX_CLOCK_SKEW_SECONDS = 300
SECRET_DERIVATION_LABEL = b"cityenforce.cases.payment-notice.v1"
NOTICE_FIELDS = ("notice_id", "reference", "amount_fen", "paid_at", "channel")

REFERENCE_PREFIX = "CE"
REFERENCE_RE = re.compile(rf"{REFERENCE_PREFIX}(\d{{6}})(\d{{4}})(\d{{6}})([0-9A-Z])")


@dataclass
class PaymentOrder:
    reference: str
    amount_fen: int
    pay_url: str
    qr_payload: str


@dataclass
class PaymentNotice:
    notice_id: str
    reference: str
    amount_fen: int
    paid_at: datetime.datetime
    channel: str
    raw: dict


@runtime_checkable
class PaymentProvider(Protocol):
    name: str

    def create_order(self, *, reference: str, amount_fen: int, description: str) -> PaymentOrder: ...

    def parse_notice(self, *, body: bytes, headers: Mapping[str, str]) -> PaymentNotice: ...


def payment_secret() -> bytes:
    configured = getattr(settings, "CASES_PAYMENT_SECRET", None)
    if configured:
        return configured.encode() if isinstance(configured, str) else bytes(configured)
    return hmac.new(settings.SECRET_KEY.encode(), SECRET_DERIVATION_LABEL, hashlib.sha256).digest()


def _header(headers: Mapping[str, str], name: str) -> str | None:
    """Find a header however it was spelt: request.headers, a plain dict, or request.META."""
    wanted = name.lower()
    for key, value in headers.items():
        normalised = key.lower().replace("_", "-")
        if normalised.startswith("http-"):
            normalised = normalised[5:]
        if normalised == wanted:
            return value
    return None


def _signature_invalid(reason: str) -> ApplicationError:
    return ApplicationError(
        _("The payment notice signature is invalid."),
        code="payment_signature_invalid",
        details={"reason": reason},
        status_code=403,
    )


def _malformed(reason: str, field: str | None = None) -> ApplicationError:
    details = {"reason": reason}
    if field:
        details["field"] = field
    return ApplicationError(_("The payment notice is malformed."), code="payment_notice_malformed", details=details)


class LocalPaymentProvider:
    """Pays fines on this server (the pay page of the cases app); signs notices like a gateway."""

    name = "local"

    def __init__(self, *, secret: bytes | str | None = None, clock: Callable[[], float] = time.time):
        self._secret = secret.encode() if isinstance(secret, str) else secret
        self.clock = clock

    @property
    def secret(self) -> bytes:
        # Read at call time so an override of settings applies to an existing provider.
        return self._secret if self._secret is not None else payment_secret()

    def sign(self, *, timestamp: str, body: bytes) -> str:
        return hmac.new(self.secret, f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()

    def create_order(self, *, reference: str, amount_fen: int, description: str) -> PaymentOrder:
        if not payment_reference_valid(reference):
            raise ApplicationError(
                _("The payment reference is not valid."), code="payment_order_invalid", details={"reference": reference}
            )
        if isinstance(amount_fen, bool) or not isinstance(amount_fen, int) or amount_fen <= 0:
            raise ApplicationError(
                _("The amount to pay must be a positive whole number of fen."),
                code="payment_order_invalid",
                details={"amount_fen": amount_fen},
            )
        reference = normalize_reference(reference)
        return PaymentOrder(
            reference=reference,
            amount_fen=amount_fen,
            pay_url=f"/cases/pay/{reference}/",
            qr_payload=f"cityenforce-pay:{reference}:{amount_fen}",
        )

    def build_notice(
        self,
        *,
        reference: str,
        amount_fen: int,
        notice_id: str | None = None,
        paid_at: datetime.datetime | None = None,
        channel: str = "local",
    ) -> tuple[bytes, dict]:
        """The body and headers a gateway would POST to our notice endpoint after a payment."""
        paid_at = paid_at or timezone.now()
        if timezone.is_naive(paid_at):
            paid_at = timezone.make_aware(paid_at)
        payload = {
            "notice_id": notice_id or f"LOCAL-{secrets.token_hex(10).upper()}",
            "reference": reference,
            "amount_fen": amount_fen,
            "paid_at": paid_at.isoformat(),
            "channel": channel,
        }
        body = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
        timestamp = str(int(self.clock()))
        return body, {TIMESTAMP_HEADER: timestamp, SIGNATURE_HEADER: self.sign(timestamp=timestamp, body=body)}

    def parse_notice(self, *, body: bytes, headers: Mapping[str, str]) -> PaymentNotice:
        timestamp = _header(headers, TIMESTAMP_HEADER)
        signature = _header(headers, SIGNATURE_HEADER)
        if not timestamp or not signature:
            raise _signature_invalid("missing_header")
        timestamp = timestamp.strip()
        if not timestamp.isascii() or not timestamp.isdigit():
            raise _signature_invalid("bad_timestamp")
        expected = self.sign(timestamp=timestamp, body=body)
        if not hmac.compare_digest(expected.encode(), signature.strip().lower().encode("ascii", "replace")):
            raise _signature_invalid("mismatch")
        # Only after the signature holds: a correctly signed but old notice is a replay.
        skew = abs(self.clock() - int(timestamp))
        if skew > MAX_CLOCK_SKEW_SECONDS:
            raise ApplicationError(
                _("The payment notice is too old or dated in the future."),
                code="payment_notice_stale",
                details={"skew_seconds": int(skew), "allowed_seconds": MAX_CLOCK_SKEW_SECONDS},
                status_code=403,
            )
        return notice_from_payload(body)


def notice_from_payload(body: bytes) -> PaymentNotice:
    """Validate a notice body (JSON object with the five fields) into a PaymentNotice."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise _malformed("not_json") from None
    if not isinstance(data, dict):
        raise _malformed("not_an_object")
    for name in NOTICE_FIELDS:
        if name not in data or data[name] in (None, ""):
            raise _malformed("missing_field", name)
    for name in ("notice_id", "reference", "paid_at", "channel"):
        if not isinstance(data[name], str):
            raise _malformed("not_a_string", name)
    amount = data["amount_fen"]
    # JSON 200.5, "20000" and true are all refused: fen are whole numbers, sent as numbers.
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise _malformed("amount_not_a_positive_integer", "amount_fen")
    try:
        paid_at = datetime.datetime.fromisoformat(data["paid_at"])
    except ValueError:
        raise _malformed("bad_datetime", "paid_at") from None
    if timezone.is_naive(paid_at):
        raise _malformed("datetime_without_timezone", "paid_at")
    return PaymentNotice(
        notice_id=data["notice_id"],
        reference=normalize_reference(data["reference"]),
        amount_fen=amount,
        paid_at=paid_at,
        channel=data["channel"],
        raw=data,
    )


def get_provider() -> PaymentProvider:
    """The configured provider (settings.CASES_PAYMENT_PROVIDER, a dotted path to a class)."""
    path = getattr(settings, "CASES_PAYMENT_PROVIDER", None) or DEFAULT_PROVIDER
    return import_string(path)()


def payment_reference(*, case_number_seq: int, district_code: str, year: int) -> str:
    """A reference a party can type at a bank counter: CE + district + year + sequence + check.

    E.g. ``CE1101012026000123`` plus an ISO 7064 MOD 37,36 check character (the one city codes
    use), which catches every single mistyped character and nearly every swap of two neighbours.
    """
    district = str(district_code or "")[:6]
    if not re.fullmatch(r"\d{6}", district):
        raise ValueError(f"district code must start with six digits, got {district_code!r}")
    if not 1000 <= year <= 9999:
        raise ValueError(f"year out of range: {year!r}")
    if not 1 <= case_number_seq <= 999_999:
        raise ValueError(f"case sequence out of range: {case_number_seq!r}")
    body = f"{REFERENCE_PREFIX}{district}{year:04d}{case_number_seq:06d}"
    return body + check_char(body)


def normalize_reference(reference: str) -> str:
    """Upper case without the spaces and dashes people add when they copy a reference."""
    return re.sub(r"[\s\-]", "", str(reference or "")).upper()


def payment_reference_valid(reference: str) -> bool:
    reference = normalize_reference(reference)
    if not REFERENCE_RE.fullmatch(reference):
        return False
    return check_char(reference[:-1]) == reference[-1]
