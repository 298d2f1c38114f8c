"""Import a city's real history of tasks (CSV or XLSX) as closed tasks: all or nothing, errors by row number."""
import csv
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from openpyxl import load_workbook

from apps.dispatch.services.history import HistoryRow, history_import
from apps.gbcp.errors import ApplicationError

COLUMNS = ("time", "lon", "lat", "category", "source")
OPTIONAL = ("district", "description")


def _rows(path: Path):
    """(header, rows) as lists of cells from the first sheet or the CSV (UTF-8, with or without BOM)."""
    if path.suffix.lower() == ".xlsx":
        sheet = load_workbook(path, read_only=True, data_only=True).active
        lines = [list(r) for r in sheet.iter_rows(values_only=True)]
    else:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            lines = list(csv.reader(handle))
    if not lines:
        raise CommandError("The file is empty.")
    return [str(h or "").strip().lower() for h in lines[0]], lines[1:]


def read_history(path: Path) -> list[HistoryRow]:
    header, lines = _rows(path)
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise CommandError(f"Missing columns: {', '.join(missing)} (need {', '.join(COLUMNS)}; optional {', '.join(OPTIONAL)}).")
    at = {name: header.index(name) for name in (*COLUMNS, *OPTIONAL) if name in header}
    found = []
    for number, line in enumerate(lines, start=2):
        if not any(c not in (None, "") for c in line):
            continue
        cells = {name: (line[i] if i < len(line) else None) for name, i in at.items()}
        found.append(HistoryRow(number=number, time=cells["time"], lon=cells["lon"], lat=cells["lat"], category=str(cells["category"] or ""),
                                source=str(cells["source"] or ""), district=str(cells.get("district") or ""), description=str(cells.get("description") or "")))
    return found


class Command(BaseCommand):
    help = "Import historical tasks from CSV/XLSX (columns: time, lon, lat, category, source; optional district, description)."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, **options):
        path = Path(options["path"])
        if not path.exists():
            raise CommandError(f"No such file: {path}")
        try:
            created = history_import(user=None, rows=read_history(path), ref_prefix=f"hist-{path.stem[:40]}-")
        except ApplicationError as exc:
            raise CommandError(f"{exc.message}\n{json.dumps(exc.details, ensure_ascii=False, indent=1)}") from None
        self.stdout.write(f"Imported {created} historical tasks.")
