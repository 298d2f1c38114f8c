"""manage.py analytics_monthly_report --month YYYY-MM [--region CODE]: the month's analysis PDF, stored and listed."""
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from apps.analytics import services


class Command(BaseCommand):
    help = "Draw the monthly analysis report (PDF, Chinese) for a month and store it."

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument("--region", default="", help="region code (default: the whole city)")

    def handle(self, *args, month, region, **options):
        try:
            year, number = (int(p) for p in month.split("-"))
            first = date(year, number, 1)
        except ValueError as exc:
            raise CommandError("--month must be YYYY-MM") from exc
        found = services.monthly_report_make(month=first, region=region)
        self.stdout.write(f"{found.file.name} ({found.total})")
