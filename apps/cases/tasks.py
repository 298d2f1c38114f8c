"""Celery tasks of enforcement cases: the deadline warning sweep."""
from celery import shared_task

from apps.cases.services import case_deadlines_sweep


@shared_task
def sweep_case_deadlines():
    return case_deadlines_sweep()
