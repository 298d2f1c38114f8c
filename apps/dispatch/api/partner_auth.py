"""Authentication of partner systems (the 12345 centre) by an HMAC-SHA256 signature of each request."""
import hmac
import time
from urllib.parse import unquote

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.permissions import BasePermission

from apps.dispatch.models import Partner
from apps.dispatch.outbox import sign

SCHEME = "CityEnforce-HMAC-SHA256"


class PartnerAuthFailed(exceptions.AuthenticationFailed):
    """401 in the one error format; the code says which check failed."""


def _header(request, name):
    value = request.META.get("HTTP_" + name.upper().replace("-", "_"), "")
    # WSGI hands headers over as latin-1; a partner that sends its UTF-8 name raw
    # (curl -H "X-Partner: 北京12345…") must still be found.
    try:
        value = value.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        pass
    return unquote(value.strip())


def find_partner(value: str) -> Partner | None:
    """By id or by name; inactive partners and partners without a secret do not exist here."""
    partners = Partner.objects.filter(is_active=True).exclude(hotline_secret="")
    partner = partners.filter(name=value).first()
    if partner is None and value.isdigit():
        partner = partners.filter(pk=int(value)).first()
    return partner


def verify_signature(*, partner: Partner, timestamp: str, signature: str, body: bytes, now: float | None = None) -> None:
    """Raise PartnerAuthFailed unless the signature is the partner's and the timestamp is fresh."""
    expected = sign(partner.hotline_secret, timestamp, body)
    if not hmac.compare_digest(expected.encode(), signature.strip().lower().encode()):
        raise PartnerAuthFailed(_("The signature does not match the request."), code="bad_signature")
    try:
        moment = int(timestamp)
    except ValueError:
        raise PartnerAuthFailed(_("X-Timestamp must be Unix time in seconds."), code="stale_timestamp")
    now = time.time() if now is None else now
    # Both directions: a timestamp far in the future would let a captured request be replayed later.
    if abs(now - moment) > settings.HOTLINE_MAX_SKEW_SECONDS:
        raise PartnerAuthFailed(
            _("The timestamp is more than %(seconds)s seconds away from our clock.") % {"seconds": settings.HOTLINE_MAX_SKEW_SECONDS},
            code="stale_timestamp",
        )


class PartnerSignatureAuthentication:
    """Headers X-Partner, X-Timestamp, X-Signature = hex HMAC-SHA256(secret, "<timestamp>." + raw body).

    On success ``request.user`` stays anonymous (public clearance for masking) and
    ``request.auth`` is the Partner.
    """

    def authenticate(self, request):
        name = _header(request, "X-Partner")
        timestamp = _header(request, "X-Timestamp")
        signature = _header(request, "X-Signature")
        if not (name or timestamp or signature):
            return None
        partner = find_partner(name) if name else None
        if partner is None:
            raise PartnerAuthFailed(_("Unknown partner."), code="unknown_partner")
        if not signature:
            raise PartnerAuthFailed(_("X-Signature is missing."), code="bad_signature")
        # Read the raw bytes before DRF parses them: the signature covers exactly what was sent.
        body = request._request.body
        verify_signature(partner=partner, timestamp=timestamp, signature=signature, body=body)
        return AnonymousUser(), partner

    def authenticate_header(self, request):
        return f'{SCHEME} realm="cityenforce-partner"'


class IsSignedPartner(BasePermission):
    message = gettext_lazy("Sign the request with the headers X-Partner, X-Timestamp and X-Signature.")

    def has_permission(self, request, view):
        return isinstance(request.auth, Partner)


class PartnerSignatureScheme(OpenApiAuthenticationExtension):
    """The signature scheme in the OpenAPI schema (X-Timestamp and X-Partner go with it; see docs/PARTNERS.md)."""

    target_class = PartnerSignatureAuthentication
    name = "partnerSignature"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey", "in": "header", "name": "X-Signature",
            "description": 'hex HMAC-SHA256 with the partner secret over "<X-Timestamp>." + raw body; also send X-Partner and X-Timestamp.',
        }
