"""Learn the IDF weights of dedup's text part from the history of reports (all tasks, or a CSV file)."""
import csv
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.dispatch import dedup_text
from apps.dispatch.models import Task


class Command(BaseCommand):
    help = "Fit word IDF weights for dedup from all task descriptions (or FILE's text column); writes VAR_DIR/models/dedup_idf.json."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="CSV file (UTF-8) with a text column instead of the tasks")
        parser.add_argument("--text-col", default="text")
        parser.add_argument("--out", help="where to write (default: the live path)")

    def handle(self, *args, **options):
        if options["file"]:
            try:
                with open(options["file"], encoding="utf-8-sig", newline="") as fh:
                    texts = [row.get(options["text_col"]) or "" for row in csv.DictReader(fh)]
            except OSError as exc:
                raise CommandError(str(exc)) from exc
        else:
            texts = Task.objects.exclude(description="").values_list("description", flat=True).iterator(chunk_size=2000)
        table = dedup_text.fit_idf(texts)
        if not table["n_docs"]:
            raise CommandError("There are no texts to learn from.")
        path = dedup_text.write_json(Path(options["out"]) if options["out"] else dedup_text.idf_path(), table)
        self.stdout.write(json.dumps({"n_docs": table["n_docs"], "words": len(table["idf"]), "out": str(path)}, ensure_ascii=False))
