"""Idempotent officer steps: a phone that was offline sends its queued steps again with their Idempotency-Key;
the first answer is given back instead of a second step (or a 409 because the task moved on)."""
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from apps.dispatch.models import OfficerActionKey, Task
from apps.gbcp import idempotency


@dataclass
class ActionAnswer:
    status_code: int
    body: dict | list
    replayed: bool = False


def officer_action_idempotent(*, user, key: str | None, action: str, task: Task, fingerprint: str, run) -> ActionAnswer:
    """Do the step ``run()`` (which returns the status code and JSON body answered) at most once per (user, key).

    A step refused (a 409 because the task moved on, a 400) leaves the key unspent; the same key
    with another request is a 422. Without a key this is the plain step.
    """
    status_code, body, replayed = idempotency.run_once(
        OfficerActionKey, user=user, key=key, fingerprint=fingerprint, run=run,
        ttl_hours=settings.DISPATCH_INTAKE_KEY_TTL_HOURS, action=action, task=task,
    )
    return ActionAnswer(status_code=status_code, body=body, replayed=replayed)


def officer_action_keys_prune(*, now=None) -> int:
    """Forget officers' idempotency keys past their lifetime (with the intake keys' beat job)."""
    deleted, _per_model = OfficerActionKey.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted
