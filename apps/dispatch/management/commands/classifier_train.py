"""Train the task classifier from a labelled CSV file or from closed tasks, and report a held-out score."""
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from apps.dispatch import classifier


class Command(BaseCommand):
    help = (
        "Train the text classifier (智能分拣). With FILE and --out: on the file's own labels. "
        "Without FILE: on closed tasks, saved to the live model path unless --out is given. Prints one line of JSON."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="CSV file (UTF-8) with a text and a label column")
        parser.add_argument("--text-col", default="text")
        parser.add_argument("--label-col", default="category")
        parser.add_argument("--out", help="where to save the model (default without FILE: the live model path)")
        parser.add_argument("--test-size", type=float, default=0.2, help="share held out for the reported score")
        parser.add_argument("--seed", type=int, default=42)

    def handle(self, *args, **options):
        if not 0 < options["test_size"] < 1:
            raise CommandError(_("--test-size must be between 0 and 1."))
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
            model, held_out = classifier.train_and_measure(texts, labels, test_size=options["test_size"], seed=options["seed"])
            path = model.save(out)
        except classifier.ClassifierError as exc:
            raise CommandError(exc.message) from exc
        report = {
            "n": len(texts),
            "labels": model.labels,
            "accuracy": held_out["accuracy"] if held_out else None,
            "macro_f1": held_out["macro_f1"] if held_out else None,
            # Without a held-out split (a class with one row) only the training size can be reported.
            "n_test": held_out["n"] if held_out else 0,
            "out": str(path),
        }
        self.stdout.write(json.dumps(report, ensure_ascii=False))
