"""Celery tasks of enforcement cases: the deadline warning sweeps (case deadlines; publication and withdrawal of decisions)."""
from celery import shared_task

from apps.cases.services import case_deadlines_sweep, disclosure_deadlines_sweep


@shared_task
def sweep_case_deadlines():
    return case_deadlines_sweep()


@shared_task
def sweep_disclosure_deadlines():
    return disclosure_deadlines_sweep()
