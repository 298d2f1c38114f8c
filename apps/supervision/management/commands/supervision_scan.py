"""Measure every enabled supervision rule now and raise an item per new cause; ``--dry-run`` only says what would be raised."""
from django.core.management.base import BaseCommand

from apps.gbcp.audit import acting_as
from apps.supervision import services


class Command(BaseCommand):
    help = "Run the supervision rules (督办规则) once: raise one item per new cause, then send the deadline warnings."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="measure and list the new causes; raise and send nothing")

    def handle(self, *args, **options):
        dry_run = options["dry_run"]

        def progress(rule, found, new):
            verb = "would raise" if dry_run else "raised"
            self.stdout.write(f"  rule {rule.pk} {rule.name} [{rule.kind}]: {found} found, {verb} {new}, {found - new} raised before")

        self.stdout.write("Supervision scan" + (" (dry run: nothing is written)" if dry_run else ""))
        with acting_as(None):
            report = services.rules_scan(dry_run=dry_run, progress=progress)
        for entry in report.raised:
            if dry_run:
                self.stdout.write(f"    new cause {entry.cause_key}: {entry.title}")
            elif options["verbosity"] > 1:
                self.stdout.write(f"    {entry.number} {entry.title}")
        if dry_run:
            self.stdout.write(self.style.SUCCESS(f"{report.raised_count} item(s) would be raised by {len(report.rules)} rule(s)."))
            return
        warned = services.items_warn()
        self.stdout.write(self.style.SUCCESS(
            f"{report.raised_count} item(s) raised by {len(report.rules)} rule(s); warnings sent: {warned['yellow']} yellow, {warned['red']} red."))
