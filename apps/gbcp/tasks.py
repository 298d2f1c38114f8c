"""Celery tasks of the ground floor: keeping the work calendar up to date, and personal data no longer than allowed."""
from celery import shared_task

from apps.gbcp import services
from apps.gbcp.privacy import retention


@shared_task
def load_official_calendar():
    """Weekly: a newer chinesecalendar (a new year's notice) is picked up without anyone remembering to."""
    return services.calendar_load_official(user=None)


@shared_task
def privacy_retention():
    """Daily: anonymise the personal data whose retention period has run out (apps.gbcp.privacy.retention)."""
    run = retention.retention_run(triggered_by="beat")
    return {"run": run.pk, "counts": run.counts, "errors": run.errors}
