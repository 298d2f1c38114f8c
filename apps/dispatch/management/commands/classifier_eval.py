"""Score a saved task classifier, or the keyword cold start, on a labelled CSV file."""
import json
from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from apps.dispatch import classifier

KEYWORDS = "keywords"


class Command(BaseCommand):
    help = "Evaluate a classifier model (or --model keywords) on a labelled CSV file; prints one line of JSON."

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV file (UTF-8) with a text and a label column")
        parser.add_argument("--text-col", default="text")
        parser.add_argument("--label-col", default="category")
        parser.add_argument("--model", help="a saved model, or 'keywords' for the keyword cold start (default: the live model)")
        parser.add_argument("--threshold", type=float, help="confidence below which a person chooses (default: the setting)")

    def handle(self, *args, **options):
        threshold = options["threshold"] if options["threshold"] is not None else classifier.default_threshold()
        try:
            texts, labels = classifier.read_labelled_csv(options["file"], text_col=options["text_col"], label_col=options["label_col"])
            if options["model"] == KEYWORDS:
                # Labels must be category codes here; the keywords come from the catalogue in the database.
                predictor, model_name = classifier.keyword_classifier(), KEYWORDS
            else:
                path = options["model"] or classifier.live_model_path()
                predictor, model_name = classifier.TextClassifier.load(path), str(path)
        except classifier.ClassifierError as exc:
            raise CommandError(exc.message) from exc
        predictions = predictor.predict_many(texts)
        report = classifier.classification_metrics(labels, [p.code for p in predictions])
        automatic = [(p, label) for p, label in zip(predictions, labels) if not classifier.needs_person(p, threshold)]
        report.update(
            model=model_name,
            methods=dict(Counter(p.method for p in predictions)),
            threshold=threshold,
            # What the threshold means in practice: how much is classified without a person, and how well.
            automatic_share=round(len(automatic) / len(predictions), 4),
            automatic_accuracy=round(sum(p.code == label for p, label in automatic) / len(automatic), 4) if automatic else None,
        )
        self.stdout.write(json.dumps(report, ensure_ascii=False))
