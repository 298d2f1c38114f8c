"""Celery tasks of the ledger: the nightly comparison."""
from celery import shared_task

from apps.ledger import services


@shared_task
def compare_ledger(region_code=None):
    """Nightly: run the comparison over the whole city (or one region) as the system."""
    run = services.comparison_run(user=None, region_code=region_code or None)
    return {"run": run.pk, "new": run.findings_new, "open": run.findings_open, "resolved": run.findings_resolved}
