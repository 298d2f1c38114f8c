"""Celery tasks of supervision: the periodic scan (rules, then deadline warnings). Thin: each calls a service."""
from celery import shared_task

from apps.supervision import services


@shared_task
def scan():
    report = services.rules_scan()
    warned = services.items_warn()
    return {"raised": report.raised_count, **warned}
