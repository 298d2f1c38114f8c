"""Celery tasks of emergency (thin)."""
from celery import shared_task

from apps.emergency import feed


@shared_task(name="apps.emergency.tasks.fetch_alerts")
def fetch_alerts():
    return feed.fetch_alerts()
