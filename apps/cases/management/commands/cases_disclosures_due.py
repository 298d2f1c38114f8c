"""List the decisions due for publication (7 working days, art. 48) or withdrawal (3 working days), then send the warnings."""
from django.core.management.base import BaseCommand
from django.utils import timezone

from apps.cases import services


class Command(BaseCommand):
    help = "List decisions to publish or withdraw with their limits, and warn legal staff of those near or past (once per point)."

    def add_arguments(self, parser):
        parser.add_argument("--no-warn", action="store_true", help="only list, send no warning")

    def handle(self, *args, **options):
        now = timezone.now()
        due = list(services.disclosures_due())
        for d in due:
            limit = d.withdrawal_due if d.status == d.Status.PUBLISHED else d.due_at
            step = "withdraw" if d.status == d.Status.PUBLISHED else "publish"
            late = " LATE" if limit < now else ""
            self.stdout.write(f"{d.case.number}\t{step}\tby {timezone.localtime(limit):%Y-%m-%d}{late}")
        self.stdout.write(f"due: {len(due)}")
        if not options["no_warn"]:
            self.stdout.write(f"warnings sent: {services.disclosure_deadlines_sweep(now=now)}")
