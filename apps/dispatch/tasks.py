"""Celery tasks of the task centre: reply delivery with retries, the deadline sweep."""
from celery import shared_task


@shared_task
def deliver_outbox_message(message_id):
    from apps.dispatch.services import outbox_deliver

    outbox_deliver(message_id=message_id)


@shared_task
def outbox_flush():
    from apps.dispatch.services import outbox_deliver_due

    return outbox_deliver_due()


@shared_task
def sweep_deadlines():
    from apps.dispatch.services import deadlines_sweep

    return deadlines_sweep()


@shared_task
def retrain_classifier():
    """Weekly: retrain the live model from closed tasks (skipped while there are too few)."""
    from django.core.management import call_command
    from django.core.management.base import CommandError

    try:
        call_command("classifier_train")
    except CommandError as exc:
        return str(exc)
    return "ok"


@shared_task
def prune_intake_keys():
    """Hourly: forget idempotency keys past their lifetime."""
    from apps.dispatch.services import intake_keys_prune

    return intake_keys_prune()
