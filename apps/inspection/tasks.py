"""Celery tasks of patrol inspection (thin: they call services)."""
from celery import shared_task

from apps.inspection import services
from apps.inspection.services import rectifications


@shared_task
def sweep_overdue_assignments():
    """Daily: open assignments past their due date become overdue; record idempotency keys past their lifetime are forgotten."""
    services.record_keys_prune()
    return services.assignment_sweep_overdue(user=None)


@shared_task
def send_rectification_sms(rectification_id):
    """After a rectification notice is issued: the SMS to the business's contact phone."""
    return rectifications.rectification_sms_send(rectification_id=rectification_id)
