"""Import other departments' credit records from a CSV or XLSX file (idempotent: a re-import brings nothing twice)."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.credit import services
from apps.credit.services.imports import row_error_rows
from apps.gbcp.errors import ApplicationError


class Command(BaseCommand):
    help = "Import credit records of another department (CSV or XLSX; columns in docs/CREDIT.md) with a row-by-row report."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--department", required=True, help="the department the records come from")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        try:
            batch = services.credit_import(user=None, department=options["department"], file_name=path.name, data=path.read_bytes())
        except ApplicationError as exc:
            raise CommandError(str(exc.message)) from exc
        self.stdout.write(f"batch {batch.pk}: {batch.file_name} sha256 {batch.sha256}")
        self.stdout.write(f"rows {batch.rows_total}, created {batch.rows_created}, already imported {batch.rows_existing}, "
                          f"errors {batch.rows_failed}")
        for error in row_error_rows(batch.errors):
            self.stdout.write(f"  row {error['row']}: {error['message']} {error['value']}".rstrip())
        self.stdout.write(self.style.SUCCESS("done"))
