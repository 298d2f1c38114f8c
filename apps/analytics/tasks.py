"""Celery jobs of analytics (thin: the work is in services)."""
from celery import shared_task

from apps.analytics import services
from apps.analytics.filters import parse_filters


@shared_task
def weekly_backtest():
    """Weekly (beat): backtest the forecast of every series up to yesterday and store the errors beside it."""
    results = services.backtests_run(filters=parse_filters({}))
    return {"series": len(results)}


@shared_task
def monthly_report():
    """Monthly (beat, the 1st): the previous month's analysis report for the whole city."""
    from datetime import timedelta

    from django.utils import timezone

    last_month = timezone.localdate().replace(day=1) - timedelta(days=1)
    found = services.monthly_report_make(month=last_month.replace(day=1))
    return {"report": found.pk}


@shared_task
def warm_hot_spots():
    """Daily (beat, after midnight): the default period's hot-spot maps of the city and each district, computed once
    so the first person to open them (the big screen, the analysis page) reads them from the cache."""
    return {"maps": services.hot_spots_warm()}
