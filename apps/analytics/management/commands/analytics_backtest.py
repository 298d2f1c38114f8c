"""Backtest the 7-day forecast by rolling origin against the seasonal-naive baseline; prints one JSON line."""
import json
import time

from django.core.management.base import BaseCommand

from apps.analytics import services
from apps.analytics.filters import parse_filters


class Command(BaseCommand):
    help = "Backtest the forecast (SARIMAX with holiday regressors vs the same weekday last week) over the last N weeks; one JSON line."

    def add_arguments(self, parser):
        parser.add_argument("--weeks", type=int, default=None, help="rolling origins (default ANALYTICS_BACKTEST_WEEKS)")
        parser.add_argument("--to", default=None, help="last day of history (YYYY-MM-DD; default yesterday)")
        parser.add_argument("--no-store", action="store_true", help="print only; do not store Backtest rows")

    def handle(self, *args, **options):
        started = time.monotonic()
        filters = parse_filters({"to": options["to"]} if options["to"] else {})
        results = services.backtests_run(filters=filters, weeks=options["weeks"], store=not options["no_store"])
        won = sum(1 for r in results if r["model"]["mae"] < r["naive"]["mae"])
        self.stdout.write(json.dumps({"last_day": filters.last.isoformat(), "series": len(results), "model_beats_naive": won,
                                      "seconds": round(time.monotonic() - started, 1), "results": results}, ensure_ascii=False))
