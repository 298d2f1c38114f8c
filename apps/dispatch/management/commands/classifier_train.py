"""Train the task classifier from a labelled CSV file or from closed tasks; the model is chosen by grouped CV."""
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from apps.dispatch import classifier


class Command(BaseCommand):
    help = (
        "Train the text classifier (智能分拣). With FILE and --out: on the file's own labels. "
        "Without FILE: on closed tasks, saved to the live model path unless --out is given. Features and model are "
        "chosen by grouped 5-fold cross-validation; prints one line of JSON with the cross-validated macro-F1."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="CSV file (UTF-8) with a text and a label column")
        parser.add_argument("--text-col", default="text")
        parser.add_argument("--label-col", default="category")
        parser.add_argument("--out", help="where to save the model (default without FILE: the live model path)")
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--candidates", action="store_true", help="also print the score of every candidate")

    def handle(self, *args, **options):
        try:
            if options["file"]:
                # A file's labels are not necessarily category codes, so it never replaces the live model implicitly.
                if not options["out"]:
                    raise CommandError(_("Training from a file needs --out; the live model is trained from closed tasks."))
                texts, labels = classifier.read_labelled_csv(options["file"], text_col=options["text_col"], label_col=options["label_col"])
                out = options["out"]
            else:
                rows = list(classifier.training_rows_from_closed_tasks())
                if not rows:
                    raise CommandError(_("There are no closed tasks with a category to train on."))
                texts, labels = [text for text, _code in rows], [code for _text, code in rows]
                out = options["out"] or classifier.live_model_path()
            model, search = classifier.train_and_measure(texts, labels, seed=options["seed"])
            path = model.save(out)
        except classifier.ClassifierError as exc:
            raise CommandError(exc.message) from exc
        report = {
            "n": len(texts),
            "labels": model.labels,
            "config": model.config,
            "calibrated": model.meta["calibrated"],
            # Grouped cross-validation: near-identical texts never on both sides. None when a class has one row.
            "cv_macro_f1_mean": search["cv_macro_f1_mean"] if search else None,
            "cv_macro_f1_sd": search["cv_macro_f1_sd"] if search else None,
            "baseline_cv_macro_f1_mean": search["baseline_macro_f1_mean"] if search else None,
            "n_folds": search["n_folds"] if search else 0,
            "n_searched": search["n_searched"] if search else 0,
            "out": str(path),
        }
        if options["candidates"] and search:
            report["candidates"] = search["candidates"]
        self.stdout.write(json.dumps(report, ensure_ascii=False))
