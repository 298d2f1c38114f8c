"""Fine payment (罚款缴纳): the provider interface, a simulated local provider for the demo, and
unguessable printable payment references with a check character.

A provider makes an order for a fine (a pay URL and a QR payload printed on the decision) and
later sends a signed notice when the party has paid; the cases app turns a verified notice
into a payment record. Without a gateway, production names ``DisabledPaymentProvider``
explicitly: no QR, payment at the bureau's bank counter, notices refused (503). The local provider is a simulation: its cashier page "pays" without any
money, so it exists only in demo mode (``checks.py`` refuses it when ``CITYENFORCE_DEMO`` is off,
and ``get_provider`` refuses it at run time too, for processes that skip the checks). It signs
its notices as a real gateway would (HMAC-SHA256 over ``"<timestamp>." + body``, timestamp
checked against replay), so the webhook path is exercised end to end without a third party.

The shared secret is ``settings.CASES_PAYMENT_SECRET``. It is never derived from SECRET_KEY
(the demo SECRET_KEY is public). Production must set it; in demo mode, when it is unset, a random
secret is made once per installation in a private file under VAR_DIR.
"""
import datetime
import hashlib
import hmac
import json
import os
import re
import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol, runtime_checkable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from apps.gbcp.api.parsers import loads as json_loads
from apps.gbcp.citycode import check_char
from apps.gbcp.errors import ApplicationError

DEFAULT_DEMO_PROVIDER = "apps.cases.payment_provider.LocalPaymentProvider"
# No online payment (no gateway): the explicit production choice without one; never a default.
DISABLED_PROVIDER = "apps.cases.payment_provider.DisabledPaymentProvider"
TIMESTAMP_HEADER = "X-Pay-Timestamp"
SIGNATURE_HEADER = "X-Pay-Signature"
# A notice may be delivered late (gateway retries), but one dated ahead of our clock is a prepared replay.
MAX_AGE_SECONDS = 300
MAX_FUTURE_SECONDS = 60
MIN_SECRET_LENGTH = 32
SECRET_FILE_NAME = "payment_notice_secret"
NOTICE_FIELDS = ("notice_id", "reference", "amount_fen", "paid_at", "channel")
NOTICE_MAX_BYTES = 16 * 1024

REFERENCE_PREFIX = "CE"
# Crockford's base32 digits (no I, L, O, U): read aloud and typed at a bank counter without confusion.
REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_RANDOM_CHARS = 20  # 100 random bits: guessing one live reference is hopeless
REFERENCE_RE = re.compile(rf"{REFERENCE_PREFIX}([{REFERENCE_ALPHABET}]{{{REFERENCE_RANDOM_CHARS}}})([0-9A-Z])")


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
    """The notice secret: CASES_PAYMENT_SECRET; in demo mode only, else a random per-installation file."""
    configured = getattr(settings, "CASES_PAYMENT_SECRET", None)
    if configured:
        return configured.encode() if isinstance(configured, str) else bytes(configured)
    if not getattr(settings, "DEMO_MODE", False):
        raise ImproperlyConfigured("CASES_PAYMENT_SECRET must be set when CITYENFORCE_DEMO is off.")
    return _demo_secret(str(_secret_path()))


def _secret_path() -> Path:
    var_dir = getattr(settings, "VAR_DIR", None) or settings.BASE_DIR / "var"
    return Path(var_dir) / SECRET_FILE_NAME


@lru_cache(maxsize=4)
def _demo_secret(path: str) -> bytes:
    file = Path(path)
    if not file.exists():
        file.parent.mkdir(parents=True, exist_ok=True)
        try:
            # O_EXCL: two processes starting at once must agree on one secret.
            fd = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_urlsafe(48))
    secret = file.read_text().strip()
    if len(secret) < MIN_SECRET_LENGTH:
        raise ImproperlyConfigured(f"The payment secret in {file} is too short; delete the file to make a new one.")
    return secret.encode()


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


def _checked_order(reference: str, amount_fen: int) -> str:
    """The normalised reference of a valid order; refuses a bad reference or a non-positive amount."""
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
    return normalize_reference(reference)


class DisabledPaymentProvider:
    """No online payment: the party pays at the bureau's bank counter with the printed reference.

    For production without a payment gateway (``CASES_PAYMENT_PROVIDER =
    "apps.cases.payment_provider.DisabledPaymentProvider"``). Not a simulation: nothing is ever
    recorded as paid by this server, so it is allowed with ``CITYENFORCE_DEMO`` off. Its orders have
    no pay URL and no QR payload (documents print the reference and say to pay at the bank counter;
    there is no cashier page), and a payment notice is refused with 503: payments are entered from
    the bank's records instead.
    """

    name = "disabled"
    simulated = False

    def create_order(self, *, reference: str, amount_fen: int, description: str) -> PaymentOrder:
        return PaymentOrder(reference=_checked_order(reference, amount_fen), amount_fen=amount_fen, pay_url="", qr_payload="")

    def parse_notice(self, *, body: bytes, headers: Mapping[str, str]) -> PaymentNotice:
        raise ApplicationError(
            _("Online payment is not enabled; fines are paid at the bank counter."),
            code="payment_provider_disabled",
            status_code=503,
        )


class LocalPaymentProvider:
    """A simulation: "pays" fines on this server's cashier page without money; signs notices like a gateway.

    Demo mode only (see ``checks.py``): anyone who can open the cashier can settle a fine.
    """

    name = "local"
    simulated = True

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
        reference = _checked_order(reference, amount_fen)
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
        # Only after the signature holds: a correctly signed but old (or future-dated) notice is a replay.
        age = self.clock() - int(timestamp)
        if age > MAX_AGE_SECONDS or age < -MAX_FUTURE_SECONDS:
            raise ApplicationError(
                _("The payment notice is too old or dated in the future."),
                code="payment_notice_stale",
                details={"skew_seconds": int(age), "allowed_seconds": MAX_AGE_SECONDS, "allowed_future_seconds": MAX_FUTURE_SECONDS},
                status_code=403,
            )
        return notice_from_payload(body)


def notice_from_payload(body: bytes) -> PaymentNotice:
    """Validate a notice body (JSON object with the five fields) into a PaymentNotice."""
    try:
        data = json_loads(body)  # bounded nesting: a deep body is malformed, not a RecursionError
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


def provider_class_path() -> str:
    """The configured provider's dotted path; the simulated local one by default in demo mode only."""
    path = getattr(settings, "CASES_PAYMENT_PROVIDER", None) or ""
    if not path and getattr(settings, "DEMO_MODE", False):
        path = DEFAULT_DEMO_PROVIDER
    return path


def is_simulated(provider_class) -> bool:
    """A provider that records payments without money (the local cashier and anything built on it)."""
    return isinstance(provider_class, type) and (issubclass(provider_class, LocalPaymentProvider) or bool(getattr(provider_class, "simulated", False)))


def get_provider() -> PaymentProvider:
    """The configured provider (settings.CASES_PAYMENT_PROVIDER, a dotted path to a class).

    Refuses a simulated provider outside demo mode even where the system checks were skipped
    (a bare daphne or Celery process does not run them).
    """
    path = provider_class_path()
    if not path:
        raise ImproperlyConfigured(
            "CASES_PAYMENT_PROVIDER must name a payment provider when CITYENFORCE_DEMO is off "
            f"({DISABLED_PROVIDER} if fines are paid only at the bank counter)."
        )
    provider_class = import_string(path)
    if is_simulated(provider_class) and not getattr(settings, "DEMO_MODE", False):
        raise ImproperlyConfigured(f"{path} is a simulated payment provider; it is refused when CITYENFORCE_DEMO is off.")
    return provider_class()


def simulated_cashier_enabled() -> bool:
    """Whether the local cashier page may exist at all: demo mode with the simulated provider configured."""
    if not getattr(settings, "DEMO_MODE", False):
        return False
    path = provider_class_path()
    try:
        return bool(path) and is_simulated(import_string(path))
    except ImportError:
        return False


def new_payment_reference() -> str:
    """A fresh reference a party can type at a bank counter: CE + 20 random base32 characters + check.

    Nothing in it comes from the case (no district, year or sequence), so knowing one reference
    says nothing about another. The ISO 7064 MOD 37,36 check character (the one city codes use)
    catches every single mistyped character and nearly every swap of two neighbours.
    """
    body = REFERENCE_PREFIX + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_RANDOM_CHARS))
    return body + check_char(body)


def normalize_reference(reference: str) -> str:
    """Upper case without the spaces and dashes people add when they copy a reference."""
    return re.sub(r"[\s\-]", "", str(reference or "")).upper()


def format_reference(reference: str) -> str:
    """For print: ``CE 1A2B 3C4D 5E6F 7G8H 9J0KX`` (groups of four; the check character ends the last)."""
    reference = normalize_reference(reference)
    head, rest = reference[:2], reference[2:]
    groups = [rest[i : i + 4] for i in range(0, len(rest), 4)]
    if len(groups) > 1 and len(groups[-1]) == 1:
        groups[-2:] = [groups[-2] + groups[-1]]
    return " ".join([head, *groups])


def payment_reference_valid(reference: str) -> bool:
    reference = normalize_reference(reference)
    if not REFERENCE_RE.fullmatch(reference):
        return False
    return check_char(reference[:-1]) == reference[-1]
