"""Load the national holiday schedules (every year the chinesecalendar package covers) into the work calendar."""
from django.core.management.base import BaseCommand

from apps.gbcp import services


class Command(BaseCommand):
    help = "Load the official holiday and make-up workday schedules; days entered by hand are kept. Safe to run again."

    def handle(self, *args, **options):
        def progress(year, days):
            self.stdout.write(f"  {year}: {days} days apart from the weekday rule")

        counts = services.calendar_load_official(user=None, progress=progress if options["verbosity"] > 1 else None)
        self.stdout.write(self.style.SUCCESS(
            "Work calendar: {years} years published; {created} days added, {changed} changed, {removed} removed, "
            "{kept_manual} entered by hand kept.".format(**counts)))
