"""Import a department's ledger file (licences, zones, key points) from the command line, with progress."""
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.accounts.models import User
from apps.gbcp.errors import ApplicationError
from apps.ledger import services
from apps.ledger.imports import COLUMNS


class Command(BaseCommand):
    help = "Import a CSV or XLSX ledger file; prints the report and exits non-zero if any row failed."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(COLUMNS))
        parser.add_argument("file")
        parser.add_argument("--department", required=True, help="the source department that sent the file")
        parser.add_argument("--user", help="username to record as the importer (default: the system)")
        parser.add_argument("--every", type=int, default=100, help="report progress every N rows")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        user = None
        if options["user"]:
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"No such user: {options['user']}")
        every = max(options["every"], 1)
        err = self.stderr

        def progress(done, total):
            if done % every == 0 or done == total:
                width = 30
                filled = width * done // max(total, 1)
                err.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending="")
                if done == total:
                    err.write("")
                err.flush()

        try:
            with path.open("rb") as handle:
                report = services.ledger_import(
                    user=user, kind=options["kind"], file=handle, file_name=path.name, department=options["department"], progress=progress
                )
        except ApplicationError as exc:
            raise CommandError(str(exc.message)) from exc
        for line in report.lines():
            self.stdout.write(line)
        if not report.ok:
            # The report above lists the failed rows; the exit status tells scripts.
            sys.exit(1)
