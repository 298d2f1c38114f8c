"""Rebuild the daily evaluation rollup for a range of days: manage.py evaluation_rollup --from 2026-01-01 --to 2026-03-31"""
import time
from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from apps.evaluation import services


class Command(BaseCommand):
    help = "Rebuild the daily rollup behind the evaluation rankings (docs/EVALUATION.md §7), day by day, with progress."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="first", help="first day (YYYY-MM-DD); default 90 days ago")
        parser.add_argument("--to", dest="last", help="last day (YYYY-MM-DD); default today")

    def handle(self, *args, first=None, last=None, **options):
        try:
            last_day = date.fromisoformat(last) if last else timezone.localdate()
            first_day = date.fromisoformat(first) if first else last_day - timedelta(days=89)
        except ValueError as exc:
            raise CommandError(f"not a date: {exc}") from None
        if last_day < first_day:
            raise CommandError("--to is before --from")
        total_days = (last_day - first_day).days + 1
        started = time.monotonic()
        done = {"days": 0}

        def progress(part, rows):
            done["days"] += part.days
            self.stdout.write(f"  {part.first} … {part.last}: {rows} rows  ({done['days']}/{total_days} days, {time.monotonic() - started:.1f} s)")

        run = services.rebuild_range(first_day, last_day, progress=progress)
        self.stdout.write(self.style.SUCCESS(f"rollup rebuilt: {run.days} days, {run.rows} rows in {time.monotonic() - started:.1f} s"))
