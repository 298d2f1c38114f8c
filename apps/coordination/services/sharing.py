"""Writes of data sharing (数据共享): issuing a department's token (its secret shown once, only the hash kept), revoking
it, and the access log row written with every read of shared data and every refused attempt."""
import datetime as dt
import hashlib
import hmac
import logging
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.coordination.models import ShareAccess, ShareToken
from apps.coordination.policy import may_audit
from apps.coordination.sharing import DATASETS
from apps.gbcp.audit import acting_as
from apps.gbcp.errors import ApplicationError

logger = logging.getLogger("cityenforce.coordination.sharing")
PREFIX = "cest"  # CityEnforce sharing token


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _forbidden():
    return ApplicationError(_("Only an administrator or leader whose jurisdiction holds the region may do this."), code="forbidden",
                            status_code=403)


@transaction.atomic
def token_issue(*, user, organization, purpose: str, datasets, region_code: str, days: int) -> tuple[ShareToken, str]:
    """A token for one department and purpose; returns (token, the full secret to show once)."""
    purpose = (purpose or "").strip()
    if not purpose:
        raise ApplicationError(_("Say what the data is for."), code="purpose_required", details={"purpose": [_("This field is required.")]})
    datasets = sorted(set(datasets or ()))
    if not datasets or any(d not in DATASETS for d in datasets):
        raise ApplicationError(_("Choose the datasets the token may read."), code="datasets_invalid", details={"datasets": [_("unknown or none")]})
    if not isinstance(days, int) or not 1 <= days <= settings.COORDINATION_TOKEN_MAX_DAYS:
        raise ApplicationError(_("A token lives 1 to %(max)d days.") % {"max": settings.COORDINATION_TOKEN_MAX_DAYS}, code="invalid_days",
                               details={"days": [_("1 to %(max)d.") % {"max": settings.COORDINATION_TOKEN_MAX_DAYS}]})
    region_code = (region_code or "").strip()
    if not region_code.isdigit() or not 4 <= len(region_code) <= 12:
        raise ApplicationError(_("Give a region code."), code="region_invalid", details={"region_code": [_("4 to 12 digits")]})
    if not may_audit(user, region_code):
        raise _forbidden()
    key_id, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
    now = timezone.now()
    with acting_as(user):
        token = ShareToken.objects.create(organization=organization, purpose=purpose[:200], datasets=datasets, region_code=region_code,
                                          key_id=key_id, secret_hash=_hash(secret), expires_at=now + dt.timedelta(days=days),
                                          created_by=user if getattr(user, "pk", None) else None, created_at=now)
    return token, f"{PREFIX}_{key_id}.{secret}"


@transaction.atomic
def token_revoke(*, user, token: ShareToken) -> ShareToken:
    token = ShareToken.objects.select_for_update().get(pk=token.pk)
    if not may_audit(user, token.region_code):
        raise _forbidden()
    if token.revoked_at is None:
        with acting_as(user):
            token.revoked_at, token.revoked_by = timezone.now(), user
            token.save()
    return token


def token_check(raw: str, *, now=None) -> tuple[ShareToken | None, str]:
    """(token, "") for a live token; (token or None, why) otherwise: missing, malformed, unknown, revoked, expired."""
    raw = (raw or "").strip()
    if not raw:
        return None, "missing"
    head, _dot, secret = raw.partition(".")
    prefix, _sep, key_id = head.partition("_")
    if prefix != PREFIX or not key_id or not secret:
        return None, "malformed"
    token = ShareToken.objects.select_related("organization").filter(key_id=key_id).first()
    if token is None or not hmac.compare_digest(token.secret_hash, _hash(secret)):
        return None, "unknown"
    state = token.state_at(now)
    if state != "active":
        return token, state
    return token, ""


def access_record(*, token=None, user=None, channel=ShareAccess.Channel.API, dataset="", purpose="", query=None, records=0,
                  outcome=ShareAccess.Outcome.ANSWERED, reason="", ip=None, region_code=None) -> ShareAccess:
    """One line of the access log; call inside the transaction that answers the request, so nothing leaves without it."""
    if outcome == ShareAccess.Outcome.REFUSED:
        logger.warning("shared data refused: %s (token %s, dataset %s, ip %s)", reason, getattr(token, "key_id", None), dataset, ip)
    entry = ShareAccess.objects.create(
        token=token, organization=getattr(token, "organization", None), user=user if getattr(user, "pk", None) else None, channel=channel,
        dataset=dataset[:32], purpose=(purpose or "")[:200], query=query or {}, records=records, outcome=outcome, reason=reason[:32], ip=ip,
        region_code=region_code if region_code is not None else getattr(token, "region_code", ""),
    )
    if token is not None and outcome == ShareAccess.Outcome.ANSWERED:
        ShareToken.objects.filter(pk=token.pk).update(last_used_at=entry.at)  # bookkeeping, kept off the token's history
    return entry


