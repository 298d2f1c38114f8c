"""Celery tasks of enforcement cases: the deadline warning sweep."""
from celery import shared_task


@shared_task
def sweep_case_deadlines():
    from apps.cases.services import case_deadlines_sweep

    return case_deadlines_sweep()
