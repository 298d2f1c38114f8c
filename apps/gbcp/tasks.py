"""Celery tasks of the ground floor: keeping the work calendar up to date."""
from celery import shared_task

from apps.gbcp import services


@shared_task
def load_official_calendar():
    """Weekly: a newer chinesecalendar (a new year's notice) is picked up without anyone remembering to."""
    return services.calendar_load_official(user=None)
