"""Celery jobs of evaluation (thin: the work is in services)."""
from celery import shared_task

from apps.evaluation import services


@shared_task
def refresh_rollup():
    """Hourly (beat): rebuild the rollup days that changed since the last run."""
    run = services.refresh_rollup()
    return {"days": run.days, "rows": run.rows}
