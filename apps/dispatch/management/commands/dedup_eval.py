"""Evaluate dedup on labelled reports, on a scratch copy of the database (everything is rolled back)."""
import csv
import datetime as dt
import json

from django.contrib.gis.geos import Point
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.dateparse import parse_datetime
from django.utils import timezone

from apps.dispatch.models import Source
from apps.dispatch.services import task_intake
from apps.gbcp.models import Category

REQUIRED = ["id", "text", "lat", "lon", "reported_at", "category", "duplicate_of"]


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = (
        "Run labelled reports (id,text,lat,lon,reported_at,category,duplicate_of) through dedup; print one JSON line: "
        "precision, recall (automatic merges), suggest_precision, suggest_recall (merged or suggested), f1, n."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--since", help="only reports at or after this ISO date")
        parser.add_argument("--until", help="only reports before this ISO date")
        parser.add_argument("--no-category", action="store_true", help="ignore the file's category: intake classifies the text")

    def handle(self, *args, **options):
        rows = self._read(options["file"])
        since, until = (parse_datetime(options[k] + ("T00:00:00" if options[k] and "T" not in options[k] else "")) if options[k] else None for k in ("since", "until"))
        rows = [r for r in rows if (since is None or r["when"].replace(tzinfo=None) >= since) and (until is None or r["when"].replace(tzinfo=None) < until)]
        if not rows:
            raise CommandError("no rows in the chosen period")
        if options["no_category"]:
            for row in rows:
                row["category"] = ""
        ids = {r["id"] for r in rows}
        root = {}
        for row in rows:
            parent = row["duplicate_of"]
            root[row["id"]] = root.get(parent, parent) if parent else row["id"]
        # A duplicate whose original is outside the period cannot be found: it is not counted as labelled.
        stats = {"merges": 0, "correct": 0, "flagged": 0, "flagged_correct": 0,
                 "labelled_duplicates": sum(1 for r in rows if r["duplicate_of"] and root.get(r["id"]) in ids)}
        try:
            with transaction.atomic():
                self._run(rows, root, stats)
                raise _Rollback
        except _Rollback:
            pass
        precision = stats["correct"] / stats["merges"] if stats["merges"] else 0.0
        recall = stats["correct"] / stats["labelled_duplicates"] if stats["labelled_duplicates"] else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        flagged, labelled = stats["flagged"], stats["labelled_duplicates"]
        self.stdout.write(json.dumps({
            "precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "suggest_precision": round(stats["flagged_correct"] / flagged, 4) if flagged else 0.0,
            "suggest_recall": round(stats["flagged_correct"] / labelled, 4) if labelled else 0.0, "n": len(rows),
            "merges": stats["merges"], "correct_merges": stats["correct"], "flagged": flagged, "labelled_duplicates": labelled,
        }))

    def _read(self, path):
        try:
            with open(path, encoding="utf-8-sig", newline="") as fh:
                reader = csv.DictReader(fh)
                missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
                if missing:
                    raise CommandError(f"missing columns: {', '.join(missing)}")
                rows = list(reader)
        except OSError as exc:
            raise CommandError(str(exc))
        for i, row in enumerate(rows, 2):
            when = parse_datetime(row["reported_at"] or "")
            if when is None:
                raise CommandError(f"line {i}: reported_at is not an ISO 8601 time")
            row["when"] = when if timezone.is_aware(when) else timezone.make_aware(when)
        return sorted(rows, key=lambda r: r["when"])

    def _run(self, rows, root, stats):
        categories = {c.code: c for c in Category.objects.all()}
        task_to_row = {}
        # Reports in the file may be older than "now": shift them so the newest is a minute ago.
        shift = timezone.now() - dt.timedelta(minutes=1) - max(r["when"] for r in rows)
        for row in rows:
            result = task_intake(
                user=None, source=Source.DISPATCHER, description=row["text"], point=Point(float(row["lon"]), float(row["lat"]), srid=4326),
                category=categories.get(row["category"]), received_at=row["when"] + shift,
            )
            task_to_row[result.report.pk] = row["id"]
            same = lambda task_id: task_to_row.get(task_id) is not None and root.get(task_to_row[task_id]) == root.get(row["id"])  # noqa: E731
            if result.merged:
                stats["merges"] += 1
                stats["correct"] += same(result.task.pk)
            # Merged or suggested: flagged for the dispatcher; right when any flagged master is the same original.
            flagged = [result.task.pk] if result.merged else [s.candidate.pk for s in result.suggestions]
            if flagged:
                stats["flagged"] += 1
                stats["flagged_correct"] += any(same(pk) for pk in flagged)
