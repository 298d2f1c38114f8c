"""Duplicates: a report merged into its open master, at intake or by the dispatcher's decision on a suggestion."""
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from apps.dispatch import events
from apps.dispatch.models import DuplicateCandidate, OutboxMessage, Status, Task, TaskLog
from apps.dispatch.policy import TASK_POLICY
from apps.dispatch.services._common import from_hotline_partner
from apps.dispatch.services.partners import outbox_enqueue
from apps.gbcp.audit import acting_as
from apps.gbcp.errors import ApplicationError
from apps.workflow.steps import process_cancel


def after_merge(*, task, master, user, score=None):
    """What follows a merge however it came about: the master counts it, both log it, the partner and the room hear of it."""
    Task.objects.filter(pk=master.pk).update(duplicate_count=F("duplicate_count") + 1)
    TaskLog.record(task, "merged", user, master=master.number, score=score)
    TaskLog.record(master, "duplicate_added", user, report=task.number, score=score)
    if from_hotline_partner(task):
        outbox_enqueue(task=task, kind=OutboxMessage.Kind.ACK)
    events.task_merged(task, master)


def _merge(*, task, master, user, score=None):
    """Merge an existing report into an open master (the dispatcher's decision)."""
    task.master = master
    task.status = Status.MERGED
    task.organization = master.organization
    task.deadline = master.deadline
    task.save(update_fields=["master", "status", "organization", "deadline", "updated_at"])
    after_merge(task=task, master=master, user=user, score=score)


@transaction.atomic
def duplicate_decide(*, user, candidate: DuplicateCandidate, merge: bool) -> Task:
    """The dispatcher merges a suggested duplicate into its master, or keeps it apart."""
    task = Task.objects.select_for_update().get(pk=candidate.task_id)
    TASK_POLICY.require(user=user, step="keep_apart", subject=task)
    if candidate.decision != DuplicateCandidate.Decision.SUGGESTED:
        raise ApplicationError(_("This suggestion was already decided."), code="already_decided", status_code=409)
    with acting_as(user):
        candidate.decided_by = user
        if not merge:
            candidate.decision = DuplicateCandidate.Decision.KEPT
            candidate.save(update_fields=["decision", "decided_by"])
            return task
        TASK_POLICY.require(user=user, step="merge", subject=task)
        if not candidate.candidate.is_open:
            raise ApplicationError(str(TASK_POLICY.step("merge").status_message), code="illegal_step", status_code=409)
        candidate.decision = DuplicateCandidate.Decision.MERGED
        candidate.save(update_fields=["decision", "decided_by"])
        process_cancel(task)
        _merge(task=task, master=candidate.candidate, user=user, score=candidate.score)
    return task
