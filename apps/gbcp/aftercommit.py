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


def enqueue(task_name: str, *args, event: str = "", **kwargs):
    """Enqueue the Celery task registered as ``task_name`` after commit, without importing its module.

    Services name the task (``"apps.devices.tasks.alarm_to_task"``) instead of importing ``tasks``,
    which imports the services back. Eager mode (the embedded default, tests) runs it in the caller.
    """
    from celery import current_app  # the configured app; Celery itself is not a project module

    def send():
        if task_name not in current_app.tasks:  # outside a worker the apps' tasks modules load on first need
            current_app.loader.import_default_modules()
        current_app.tasks[task_name].delay(*args, **kwargs)

    on_commit(send, event=event or f"celery:{task_name}")
