"""Celery jobs of analytics (thin: the work is in services)."""
from celery import shared_task

from apps.analytics import services
from apps.analytics.filters import parse_filters


@shared_task
def weekly_backtest():
    """Weekly (beat): backtest the forecast of every series up to yesterday and store the errors beside it."""
    results = services.backtests_run(filters=parse_filters({}))
    return {"series": len(results)}
