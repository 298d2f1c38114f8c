"""Re-hash every evidence file, rebuild the Merkle log and check every signed tree head; non-zero exit on any problem."""
from django.core.management.base import BaseCommand, CommandError

from apps.evidence.verify import orphan_files, verify_all


class Command(BaseCommand):
    help = "Verify the evidence store (files, rows, log entries, tree heads). Exits 1 and names each bad record."

    def add_arguments(self, parser):
        parser.add_argument("--skip-files", action="store_true", help="Do not re-hash files (rows, log and heads only).")
        parser.add_argument("--orphans", action="store_true", help="Also list stored files that no evidence row points to.")

    def handle(self, *args, skip_files=False, orphans=False, **options):
        def progress(stage, done, total):
            self.stdout.write(f"  {stage}: {done}/{total}")

        report = verify_all(progress=progress, check_files=not skip_files)
        if orphans:
            for name in orphan_files():
                self.stdout.write(f"orphan file (no evidence row): {name}")
        for line in report.problems:
            self.stderr.write(line)
        summary = (
            f"{report.evidence_checked} evidence, {report.entries_checked} log entries, "
            f"{report.heads_checked} tree heads checked; {len(report.problems)} problem(s)"
        )
        if not report.ok:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))
