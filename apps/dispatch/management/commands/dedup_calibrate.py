"""Fit per-category dedup radius and window from closed duplicates (merged tasks), or from a labelled CSV file."""
import csv
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_datetime

from apps.dispatch import dedup_text
from apps.dispatch.models import Task
from apps.gbcp.distance import metres_between


class Command(BaseCommand):
    help = (
        "Per category, the radius and window that hold --quantile of the duplicates merged so far (distance and time "
        "from their master); writes VAR_DIR/models/dedup_rules.json, read by dedup when a category has no admin rule."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="CSV (id,lat,lon,reported_at,category,duplicate_of) instead of merged tasks")
        parser.add_argument("--quantile", type=float, default=0.9)
        parser.add_argument("--min-pairs", type=int, default=10)
        parser.add_argument("--out", help="where to write (default: the live path)")

    def handle(self, *args, **options):
        if not 0 < options["quantile"] <= 1:
            raise CommandError("--quantile must be in (0, 1].")
        pairs = list(self._from_file(options["file"]) if options["file"] else self._from_tasks())
        result = dedup_text.calibrate(pairs, quantile=options["quantile"], min_pairs=options["min_pairs"])
        result["n_pairs"] = len(pairs)
        path = Path(options["out"]) if options["out"] else dedup_text.rules_path()
        dedup_text.write_json(path, result)
        self.stdout.write(json.dumps({**result, "out": str(path)}, ensure_ascii=False))

    def _from_tasks(self):
        merged = (
            Task.objects.filter(master__isnull=False, category__isnull=False, point__isnull=False, master__point__isnull=False)
            .select_related("category", "master")
            .only("point", "received_at", "category__code", "master__point", "master__received_at")
        )
        for task in merged.iterator(chunk_size=2000):
            hours = (task.received_at - task.master.received_at).total_seconds() / 3600
            yield task.category.code, metres_between(task.point, task.master.point), hours

    def _from_file(self, path):
        from django.contrib.gis.geos import Point

        try:
            with open(path, encoding="utf-8-sig", newline="") as fh:
                rows = {row["id"]: row for row in csv.DictReader(fh)}
        except (OSError, KeyError) as exc:
            raise CommandError(f"{path}: {exc}") from exc
        for row in rows.values():
            master = rows.get(row.get("duplicate_of") or "")
            if master is None:
                continue
            when, then = parse_datetime(row["reported_at"]), parse_datetime(master["reported_at"])
            if when is None or then is None:
                continue
            a = Point(float(row["lon"]), float(row["lat"]), srid=4326)
            b = Point(float(master["lon"]), float(master["lat"]), srid=4326)
            yield row["category"], metres_between(a, b), (when - then).total_seconds() / 3600
