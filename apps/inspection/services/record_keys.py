"""Idempotent inspection records: the offline field client sends a queued record again with its Idempotency-Key and
gets the first answer back instead of a second record."""
from django.conf import settings
from django.utils import timezone

from apps.gbcp import idempotency
from apps.inspection.models import RecordKey


def inspection_record_idempotent(*, user, key: str | None, fingerprint: str, run):
    """``run()`` records and returns (status code, JSON body); at most once per (user, key). Returns (status, body, replayed)."""
    return idempotency.run_once(RecordKey, user=user, key=key, fingerprint=fingerprint, run=run, ttl_hours=settings.DISPATCH_INTAKE_KEY_TTL_HOURS)


def record_keys_prune(*, now=None) -> int:
    """Forget record keys past their lifetime (the hourly key-pruning job)."""
    deleted, _per_model = RecordKey.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted
