"""Idempotency keys for writes a client may retry (the IETF ``Idempotency-Key`` header): checking and fingerprints.

Model-free: the stored keys live with the writes they guard (``dispatch.IntakeKey`` for intake).
A key is the client's, scoped to the caller that sent it; the fingerprint is a digest of what
was asked, so a key reused for a different request is told apart from a retry.
"""
import datetime as dt
import hashlib
import json
import re
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.gbcp.errors import ApplicationError

HEADER = "Idempotency-Key"
META_KEY = "HTTP_IDEMPOTENCY_KEY"
REPLAY_HEADER = "Idempotent-Replayed"
# Printable ASCII without spaces, as the draft's examples and every client library use (UUIDs, ULIDs, random tokens).
KEY_PATTERN = re.compile(r"[\x21-\x7e]{8,255}")


def clean_key(raw) -> str | None:
    """The key as sent, or None when none was sent; a malformed key is a 400."""
    if raw is None:
        return None
    key = str(raw).strip()
    if key.startswith('"') and key.endswith('"') and len(key) >= 2:
        key = key[1:-1]  # the draft sends it as a structured-field string, quotes and all
    if not key:
        return None
    if not KEY_PATTERN.fullmatch(key):
        raise ApplicationError(
            _("The Idempotency-Key must be 8 to 255 printable characters without spaces."),
            code="invalid_idempotency_key", status_code=400,
        )
    return key


def key_from_request(request) -> str | None:
    return clean_key(request.META.get(META_KEY))


def new_key() -> str:
    """A fresh key for a form to carry (the portal's report form)."""
    return secrets.token_urlsafe(24)


def fingerprint(*parts) -> str:
    """SHA-256 over a canonical JSON of the request's parts (order of keys does not matter)."""
    canonical = json.dumps(parts, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def file_digest(upload) -> str:
    """SHA-256 of an uploaded file's bytes, read in chunks; the file is rewound for whoever reads it next."""
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def reused_key_error() -> ApplicationError:
    return ApplicationError(
        _("This Idempotency-Key was already used for a different request; send a new key for a new request."),
        code="idempotency_key_reused", status_code=422,
    )


def run_once(model, *, user, key: str | None, fingerprint: str, run, ttl_hours: int, **fields):
    """Do ``run()`` (returning the status code and JSON body answered) at most once per (user, key).

    ``model`` is the owning app's key table (fields user, key, fingerprint, response_status,
    response_body, expires_at, plus ``fields``). The key's row is inserted first, in the same
    transaction as the write: a concurrent retry waits on the unique index and then replays, and a
    write that fails (a 409 because the work moved on, a 400) leaves the key unspent. Returns
    (status code, body, replayed); the same key with another request is a 422.
    """
    if not key:
        return (*run(), False)

    def live():
        return model.objects.filter(user=user, key=key, expires_at__gt=timezone.now()).first()

    def replay(record):
        if record.fingerprint != fingerprint:
            raise reused_key_error()
        return record.response_status, record.response_body, True

    existing = live()
    if existing is not None:
        return replay(existing)
    now = timezone.now()
    try:
        with transaction.atomic():
            model.objects.filter(user=user, key=key, expires_at__lte=now).delete()  # an expired key is free again
            record = model.objects.create(user=user, key=key, fingerprint=fingerprint, expires_at=now + dt.timedelta(hours=ttl_hours), **fields)
            record.response_status, record.response_body = run()
            record.save(update_fields=["response_status", "response_body"])
    except IntegrityError:
        existing = live()
        if existing is None:
            raise
        return replay(existing)
    return record.response_status, record.response_body, False


def request_fingerprint(request, *parts) -> str:
    """What a DRF request asked: ``parts`` (the action, the object), its fields, and the digests of its files."""
    files = sorted((name, file_digest(f)) for name in request.FILES for f in request.FILES.getlist(name))
    data = request.data
    fields = {name: data.getlist(name) for name in data if name not in request.FILES} if hasattr(data, "getlist") else data
    return fingerprint(*parts, fields, files)
