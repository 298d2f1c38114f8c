"""Celery tasks of the task centre: reply delivery with retries, the deadline sweep, keys pruned, the model retrained,
the rating link sent by SMS.

Thin: each calls a service. Services enqueue these by name after commit and never import this module.
"""
from celery import shared_task
from django.core.management import call_command
from django.core.management.base import CommandError

from apps.dispatch import services


@shared_task
def deliver_outbox_message(message_id):
    services.outbox_deliver(message_id=message_id)


@shared_task
def outbox_flush():
    return services.outbox_deliver_due()


@shared_task
def sweep_deadlines():
    return services.deadlines_sweep()


@shared_task
def retrain_classifier():
    """Weekly: retrain the live model from closed tasks (skipped while there are too few)."""
    try:
        call_command("classifier_train")
    except CommandError as exc:
        return str(exc)
    return "ok"


@shared_task
def prune_intake_keys():
    """Hourly: forget idempotency keys past their lifetime (intake's, officers' steps', evidence uploads'; inspection
    records' go with the daily assignment sweep, as dispatch may not import inspection)."""
    from apps.evidence.services import upload_keys_prune  # reason: the key-pruning job also serves the field client's uploads

    return services.intake_keys_prune() + services.officer_action_keys_prune() + upload_keys_prune()


@shared_task
def send_rating_link(task_id):
    """On close: the reporter gets the rating link by SMS (once per task)."""
    return services.rating_link_send(task_id=task_id)
