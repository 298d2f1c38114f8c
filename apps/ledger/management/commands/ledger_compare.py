"""Run the ledger comparison (比对) from the command line."""
from django.core.management.base import BaseCommand

from apps.ledger import services


class Command(BaseCommand):
    help = "Compare licences and places (restaurants without food licence, expired but active, invalid credit codes, holder ≠ operator)."

    def add_arguments(self, parser):
        parser.add_argument("--region", default="", help="region code prefix (default: the whole city)")

    def handle(self, *args, **options):
        run = services.comparison_run(user=None, region_code=options["region"] or None)
        self.stdout.write(f"comparison {run.pk}: {run.findings_new} new, {run.findings_open} still open, {run.findings_resolved} resolved")
