"""Celery tasks of patrol inspection (thin: they call services)."""
from celery import shared_task

from apps.inspection import services


@shared_task
def sweep_overdue_assignments():
    """Daily: open assignments past their due date become overdue."""
    return services.assignment_sweep_overdue(user=None)
