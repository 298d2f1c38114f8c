"""The access log of personal data read unmasked (full clearance): one helper, ``log_access``, batched per request.

Every place that shows personal data at full clearance (``MaskedField``, the ``masked`` template tag, selectors
that unmask on purpose) calls ``log_access`` or ``note_unmasked``. Inside a request the reads are gathered in
memory (``collecting``, opened by ``apps.accounts.privacy.AccessLogMiddleware``) and written with one INSERT when
the response is ready, one row per subject; outside a request (a command, a Celery job) each call writes at once.
"""
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.utils import timezone

from apps.gbcp.masking import Clearance, clearance_for
from apps.gbcp.privacy.models import AccessLogEntry

LABEL_LENGTH = 128


@dataclass
class Batch:
    """What one request read: subject → (label, set of what), plus who and from where (filled at the end)."""

    user: object = None
    purpose: str = ""
    path: str = ""
    client_ip: str | None = None
    subjects: dict = field(default_factory=dict)

    def add(self, subject_type, subject_id, label, what):
        entry = self.subjects.setdefault((subject_type, str(subject_id)), [label, set()])
        entry[0] = entry[0] or label
        entry[1].update(what)


_current: ContextVar[Batch | None] = ContextVar("privacy_access_batch", default=None)


def subject_of(instance) -> tuple[str, str, str]:
    """(kind of record, id, label) of a model instance; the label is the record's number if it has one, never a name."""
    meta = instance._meta
    number = getattr(instance, "number", "") or ""
    label = f"{meta.verbose_name} {number}".strip() if number else f"{meta.verbose_name} #{instance.pk}"
    return meta.label_lower, str(instance.pk or ""), str(label)[:LABEL_LENGTH]


def log_access(*, user, subject=None, subject_type="", subject_id="", label="", what=(), purpose="", path="", client_ip=None):
    """Record that ``user`` read ``what`` (field names or masking kinds) of ``subject`` (a model instance, or
    ``subject_type``/``subject_id``/``label``) unmasked. Gathered into the request's batch when one is open."""
    if user is None or not getattr(user, "is_authenticated", False):
        return
    if subject is not None:
        subject_type, subject_id, label = subject_of(subject)
    batch = _current.get()
    if batch is not None:
        batch.add(subject_type, subject_id, label, what)
        return
    single = Batch(user=user, purpose=purpose, path=path, client_ip=client_ip)
    single.add(subject_type, subject_id, label, what)
    write(single)


def note_unmasked(*, user, value, what, subject=None):
    """Called by the masking helpers after masking ``value`` for ``user``: logs only what left unmasked at full clearance."""
    if not value or subject is None or clearance_for(user) < Clearance.FULL:
        return
    log_access(user=user, subject=subject, what=(what,))


def write(batch: Batch) -> int:
    """One INSERT for every subject of the batch; nothing when nothing personal was read."""
    if not batch.subjects or batch.user is None:
        return 0
    now = timezone.now()
    user = batch.user
    rows = [
        AccessLogEntry(
            user=user, username=getattr(user, "username", "")[:150], subject_type=subject_type[:64], subject_id=subject_id[:64],
            subject_label=label[:LABEL_LENGTH], fields=sorted(what), purpose=batch.purpose[:128], path=batch.path[:255],
            client_ip=batch.client_ip or None, at=now,
        )
        for (subject_type, subject_id), (label, what) in batch.subjects.items()
    ]
    AccessLogEntry.objects.bulk_create(rows, batch_size=500)
    return len(rows)


@contextmanager
def collecting():
    """Gather the reads of one request (or one job) into a batch; the caller writes it with ``write``."""
    batch = Batch()
    token = _current.set(batch)
    try:
        yield batch
    finally:
        _current.reset(token)
