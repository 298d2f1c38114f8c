"""Celery tasks of the devices app: thin wrappers around the sweeps and pruning."""
from celery import shared_task

from apps.devices import services


@shared_task
def offline_sweep():
    return services.devices_offline_sweep(user=None)


@shared_task
def alarm_task_retry():
    return services.alarm_task_retry(user=None)


@shared_task
def prune_readings():
    return services.readings_prune(user=None)


@shared_task
def alarm_to_task(alarm_id):
    return services.alarm_task_create(user=None, alarm_id=alarm_id)
