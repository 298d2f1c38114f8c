"""Restore a backup made by `manage.py backup` into an empty database and media root, after checking its manifest."""
from django.core.management.base import BaseCommand, CommandError

from apps.evidence.backup import BackupError, restore


class Command(BaseCommand):
    help = "Check a backup against its manifest and restore it into the configured, empty database and media root."

    def add_arguments(self, parser):
        parser.add_argument("directory", help="a directory written by `manage.py backup`")
        parser.add_argument("--manifest-sha256", help="the SHA-256 the backup command printed: refuse a replaced manifest")

    def handle(self, *args, directory, manifest_sha256=None, **options):
        try:
            manifest = restore(directory, manifest_sha256=manifest_sha256, say=self.stdout.write)
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc))
        if manifest["pending_migrations"]:
            self.stdout.write(self.style.WARNING(
                f"The code has {len(manifest['pending_migrations'])} migration(s) the backup lacks: run `manage.py migrate`."
            ))
        self.stdout.write("Provide separately (not in a backup): " + ", ".join(manifest["must_provide_separately"]))
        self.stdout.write(self.style.SUCCESS(
            f"Restored: log size {manifest['log']['tree_size']}. Next: `manage.py verify_evidence`."
        ))
