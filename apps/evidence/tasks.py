"""Celery tasks of evidence preservation (thin): the scheduled re-verification of the whole store."""
import logging

from celery import shared_task

from apps.evidence.verify import verify_all

logger = logging.getLogger(__name__)


@shared_task(name="apps.evidence.tasks.verify_evidence_log")
def verify_evidence_log():
    """Run the same checks as ``manage.py verify_evidence``; each problem is logged as an error."""
    report = verify_all()
    for line in report.problems:
        logger.error("evidence verification: %s", line)
    return {"evidence": report.evidence_checked, "entries": report.entries_checked, "heads": report.heads_checked, "problems": len(report.problems)}
