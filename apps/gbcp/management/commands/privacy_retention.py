"""Anonymise the personal data whose retention period has run out; ``--dry-run`` counts without changing anything."""
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from apps.gbcp.privacy import registry, retention


class Command(BaseCommand):
    help = "Anonymise (or delete, where declared) personal data past its retention period (PRIVACY_RETENTION)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count what has expired; change nothing.")
        parser.add_argument("--batch-size", type=int, default=None, help="Rows per transaction (PRIVACY_RETENTION_BATCH).")

    def handle(self, *args, dry_run=False, batch_size=None, **options):
        if dry_run:
            counts = retention.retention_run(dry_run=True)
            for key, count in counts.items():
                self.stdout.write(f"{key}: {count} " + _("would be anonymised"))
            self._handled_elsewhere()
            return
        run = retention.retention_run(
            batch_size=batch_size, triggered_by="command",
            progress=lambda item, done: self.stdout.write(f"  {item.key}: {done}…"),
        )
        for key, count in run.counts.items():
            self.stdout.write(f"{key}: {count}" + (f"  ({run.errors[key]})" if key in run.errors else ""))
        self._handled_elsewhere()
        style = self.style.ERROR if run.errors else self.style.SUCCESS
        self.stdout.write(style(_("Retention run %(id)s: %(total)s records, %(status)s.") % {
            "id": run.pk, "total": run.total, "status": run.get_status_display()}))

    def _handled_elsewhere(self):
        for item in registry.declarations():
            if item.retention and item.retention.handled_by:
                self.stdout.write(f"{item.key}: " + _("handled by %(job)s") % {"job": item.retention.handled_by})
