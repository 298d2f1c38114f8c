"""Idempotency keys for writes a client may retry (the IETF ``Idempotency-Key`` header): checking and fingerprints.

Model-free: the stored keys live with the writes they guard (``dispatch.IntakeKey`` for intake).
A key is the client's, scoped to the caller that sent it; the fingerprint is a digest of what
was asked, so a key reused for a different request is told apart from a retry.
"""
import hashlib
import json
import re
import secrets

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
