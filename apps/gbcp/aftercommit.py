"""Side effects after commit (Channels sends, Celery enqueues) that can never turn a committed write into an error.

A write that committed is answered as committed: if Redis or the broker is away when its
events go out, the failure is logged with the event's name and the caller carries on. What
must not be lost is kept elsewhere: notifications are stored in the database inside the
write's transaction, and every Celery job enqueued here has a beat sweep that retries it.
"""
import logging

from django.db import transaction

logger = logging.getLogger("cityenforce.aftercommit")


def run_safely(func, *, event: str):
    """Call ``func`` now; log any failure under ``event`` instead of raising it."""
    try:
        return func()
    except Exception:  # the write is already committed: report, never undo or raise
        logger.exception("after-commit effect %s failed; the committed data stands", event)
        return None


def on_commit(func, *, event: str):
    """``transaction.on_commit`` for a side effect that must not raise (logged under ``event``)."""
    transaction.on_commit(lambda: run_safely(func, event=event))
