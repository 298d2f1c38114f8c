"""Back up the database, uploaded files (evidence included), the log's state and the public settings into a directory."""
import subprocess

from django.core.management.base import BaseCommand, CommandError

from apps.evidence.backup import BackupError, backup


class Command(BaseCommand):
    help = "Write a backup (database dump, media, log state, public keys, SHA-256 manifest) into an empty directory."

    def add_arguments(self, parser):
        parser.add_argument("directory", help="a new or empty directory")

    def handle(self, *args, directory, **options):
        try:
            manifest = backup(directory, say=self.stdout.write)
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc))
        except subprocess.CalledProcessError as exc:
            raise CommandError(f"{exc.cmd[0]} failed: {(exc.stderr or b'').decode(errors='replace')[-2000:]}")
        self.stdout.write(f"{len(manifest['files'])} files; log size {manifest['log']['tree_size']}")
        self.stdout.write("Not in the backup, provide separately: " + ", ".join(manifest["must_provide_separately"]))
        self.stdout.write(self.style.SUCCESS(
            f"manifest SHA-256 {manifest['manifest_sha256']} (keep it apart from the backup: restore --manifest-sha256 checks it)"
        ))
