"""Authentication of partner systems (the 12345 centre) by an HMAC-SHA256 signature of each request.

The signature covers the method, the path, the canonical query, the timestamp, a nonce and the SHA-256 of
the body (see docs/PARTNERS.md); a nonce is accepted once, and a body over the size limit is refused
before it is read.
"""
import hashlib
import hmac
import re
import secrets
import time
from urllib.parse import parse_qsl, quote, unquote

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions, status
from rest_framework.permissions import BasePermission

from apps.dispatch.models import Partner

SCHEME = "CityEnforce-HMAC-SHA256"
# The first line of the signed text: a signature made for another scheme (or the old "timestamp.body") never matches.
SIGNATURE_VERSION = "CityEnforce-HMAC-SHA256-v2"
NONCE_PATTERN = re.compile(r"^[A-Za-z0-9._~-]{16,64}$")
UNRESERVED = "-_.~"  # RFC 3986: never percent-encoded


class PartnerAuthFailed(exceptions.AuthenticationFailed):
    """401 in the one error format; the code says which check failed."""


class PartnerBodyTooLarge(exceptions.APIException):
    """413 in the one error format: the body is refused before it is read."""

    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "payload_too_large"


class NonceStoreUnavailable(exceptions.APIException):
    """Without the nonce store a replay cannot be told apart, so the request is refused (and may be retried)."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "nonce_store_unavailable"


def max_past_seconds() -> int:
    return int(settings.HOTLINE_MAX_SKEW_SECONDS)


def max_future_seconds() -> int:
    return int(getattr(settings, "HOTLINE_MAX_FUTURE_SKEW_SECONDS", 60))


def max_body_bytes() -> int:
    return int(getattr(settings, "HOTLINE_MAX_BODY_BYTES", 1024 * 1024))


# --- the canonical request: the same function signs (partners, tests) and verifies (us) ---------------


def canonical_path(path: str) -> str:
    """The decoded path (Django's ``request.path``) as UTF-8, percent-encoded except for RFC 3986 unreserved characters and "/"."""
    return quote(path, safe="/" + UNRESERVED)


def canonical_query(query_string: str) -> str:
    """Every parameter (blank ones too), decoded, re-encoded the one RFC 3986 way, sorted by name then value."""
    pairs = parse_qsl(query_string or "", keep_blank_values=True)
    encoded = sorted((quote(k, safe=UNRESERVED), quote(v, safe=UNRESERVED)) for k, v in pairs)
    return "&".join(f"{k}={v}" for k, v in encoded)


def string_to_sign(*, method: str, path: str, query: str, timestamp: str, nonce: str, body: bytes) -> bytes:
    lines = [
        SIGNATURE_VERSION,
        method.upper(),
        canonical_path(path),
        canonical_query(query),
        timestamp,
        nonce,
        hashlib.sha256(body).hexdigest(),
    ]
    return "\n".join(lines).encode("utf-8")


def sign_request(secret: str, *, method: str, path: str, query: str = "", timestamp: str, nonce: str, body: bytes = b"") -> str:
    """Hex HMAC-SHA256 of the canonical request with the partner's secret."""
    message = string_to_sign(method=method, path=path, query=query, timestamp=timestamp, nonce=nonce, body=body)
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signed_headers(secret: str, *, partner: str, method: str, path: str, query: str = "", body: bytes = b"",
                   timestamp: str | None = None, nonce: str | None = None) -> dict:
    """The four headers a partner sends (a client-side helper: the demo client and the tests use it).

    ``path`` is the path as it goes on the wire (percent-encoded); it is decoded once here, as the server does.
    """
    timestamp = str(int(time.time())) if timestamp is None else str(timestamp)
    nonce = secrets.token_hex(16) if nonce is None else nonce
    return {
        "X-Partner": partner,
        "X-Timestamp": timestamp,
        "X-Nonce": nonce,
        "X-Signature": sign_request(secret, method=method, path=unquote(path), query=query, timestamp=timestamp, nonce=nonce, body=body),
    }


# --- the server side -----------------------------------------------------------------------------------


def _header(request, name):
    value = request.META.get("HTTP_" + name.upper().replace("-", "_"), "")
    # WSGI hands headers over as latin-1; a partner that sends its UTF-8 name raw
    # (curl -H "X-Partner: 北京12345…") must still be found.
    try:
        value = value.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        pass
    return unquote(value.strip())


def _query_string(request) -> str:
    """The raw query as text: WSGI hands it over as latin-1, so raw UTF-8 (``?q=东城``) is restored first."""
    raw = request.META.get("QUERY_STRING", "")
    try:
        return raw.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return raw


def find_partner(value: str) -> Partner | None:
    """By id or by name; inactive partners and partners without a secret do not exist here."""
    partners = Partner.objects.filter(is_active=True).exclude(hotline_secret="")
    partner = partners.filter(name=value).first()
    if partner is None and value.isdigit():
        partner = partners.filter(pk=int(value)).first()
    return partner


def check_body_size(request) -> None:
    """Refuse by the declared length, before a byte of the body is read into memory."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    limit = max_body_bytes()
    if declared > limit:
        raise PartnerBodyTooLarge(
            _("The request body is too large (at most %(limit)d bytes).") % {"limit": limit}, code="payload_too_large"
        )


def check_timestamp(timestamp: str, *, now: float | None = None) -> None:
    try:
        moment = int(timestamp)
    except ValueError:
        raise PartnerAuthFailed(_("X-Timestamp must be Unix time in seconds."), code="stale_timestamp")
    now = time.time() if now is None else now
    # Lopsided on purpose: clocks drift a little ahead, but a future-dated capture must not stay replayable for long.
    if now - moment > max_past_seconds() or moment - now > max_future_seconds():
        raise PartnerAuthFailed(
            _("The timestamp must lie between %(past)s seconds before and %(future)s seconds after our clock.")
            % {"past": max_past_seconds(), "future": max_future_seconds()},
            code="stale_timestamp",
        )


def claim_nonce(partner: Partner, nonce: str) -> None:
    """Atomic first-come: ``cache.add`` stores the key only if it is absent (SET NX on Redis)."""
    # Remembered as long as a request bearing it could still pass the timestamp check.
    ttl = max_past_seconds() + max_future_seconds()
    key = "hotline-nonce:%d:%s" % (partner.pk, hashlib.sha256(nonce.encode()).hexdigest())
    try:
        fresh = cache.add(key, 1, timeout=ttl)
    except Exception:
        raise NonceStoreUnavailable(_("The request cannot be checked for replay right now; try again shortly."))
    if not fresh:
        raise PartnerAuthFailed(_("This request was already received (the nonce was used before)."), code="replayed")


def verify_request(request, *, partner: Partner, timestamp: str, nonce: str, signature: str, now: float | None = None) -> None:
    """Raise PartnerAuthFailed unless the request is signed by the partner, fresh and not seen before."""
    if not NONCE_PATTERN.match(nonce):
        raise PartnerAuthFailed(_("X-Nonce must be 16–64 letters, digits or -._~, new for every request."), code="bad_nonce")
    body = request.body
    if len(body) > max_body_bytes():  # a lying Content-Length; Django reads no more than it declares
        raise PartnerBodyTooLarge(_("The request body is too large (at most %(limit)d bytes).") % {"limit": max_body_bytes()})
    expected = sign_request(
        partner.hotline_secret, method=request.method, path=request.path, query=_query_string(request),
        timestamp=timestamp, nonce=nonce, body=body,
    )
    if not hmac.compare_digest(expected.encode(), signature.strip().lower().encode()):
        raise PartnerAuthFailed(_("The signature does not match the request."), code="bad_signature")
    check_timestamp(timestamp, now=now)
    claim_nonce(partner, nonce)


class PartnerSignatureAuthentication:
    """Headers X-Partner, X-Timestamp, X-Nonce, X-Signature (see docs/PARTNERS.md).

    On success ``request.user`` stays anonymous (public clearance for masking) and
    ``request.auth`` is the Partner.
    """

    def authenticate(self, request):
        name = _header(request, "X-Partner")
        timestamp = _header(request, "X-Timestamp")
        nonce = _header(request, "X-Nonce")
        signature = _header(request, "X-Signature")
        if not (name or timestamp or signature or nonce):
            return None
        check_body_size(request)
        partner = find_partner(name) if name else None
        if partner is None:
            raise PartnerAuthFailed(_("Unknown partner."), code="unknown_partner")
        if not signature:
            raise PartnerAuthFailed(_("X-Signature is missing."), code="bad_signature")
        # The raw bytes before DRF parses them: the signature covers exactly what was sent.
        verify_request(request._request, partner=partner, timestamp=timestamp, nonce=nonce, signature=signature)
        return AnonymousUser(), partner

    def authenticate_header(self, request):
        return f'{SCHEME} realm="cityenforce-partner"'


class IsSignedPartner(BasePermission):
    message = gettext_lazy("Sign the request with the headers X-Partner, X-Timestamp, X-Nonce and X-Signature.")

    def has_permission(self, request, view):
        return isinstance(request.auth, Partner)


class PartnerSignatureScheme(OpenApiAuthenticationExtension):
    """The signature scheme in the OpenAPI schema (X-Partner, X-Timestamp and X-Nonce go with it; see docs/PARTNERS.md)."""

    target_class = PartnerSignatureAuthentication
    name = "partnerSignature"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey", "in": "header", "name": "X-Signature",
            "description": (
                "hex HMAC-SHA256 with the partner secret over the canonical request: "
                f"\"{SIGNATURE_VERSION}\\nMETHOD\\npath\\ncanonical query\\nX-Timestamp\\nX-Nonce\\nhex SHA-256 of the body\"; "
                "also send X-Partner, X-Timestamp (at most 300 s old, 60 s ahead) and X-Nonce (new for every request). "
                "Bodies over 1 MiB are refused with 413. See docs/PARTNERS.md."
            ),
        }
