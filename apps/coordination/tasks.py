"""Celery tasks of coordination: the case leads' deadline sweep. Thin: it calls the service."""
from celery import shared_task

from apps.coordination import services


@shared_task
def leads_sweep():
    return services.leads_sweep()
