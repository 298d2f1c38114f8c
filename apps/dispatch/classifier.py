"""Classification of report texts into categories (智能分拣): keyword cold start and a trained model."""
from __future__ import annotations

import csv
import datetime
import logging
import math
import time
import os
import tempfile
import threading
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from apps.dispatch import classifier_search
from apps.dispatch.classifier_keywords import SYNONYMS
from apps.gbcp.errors import ApplicationError
from apps.gbcp.models import Category

logger = logging.getLogger(__name__)

# Written into every saved model so that load() can tell our files from anything else.
MODEL_FORMAT = "cityenforce.task_classifier"
MODEL_FORMAT_VERSION = 2

METHOD_KEYWORDS = "keywords"
METHOD_MODEL = "model"
METHOD_NONE = "none"


class ClassifierError(ApplicationError):
    """The classifier cannot do what was asked (bad model file, bad training data)."""

    def __init__(self, message, *, code="classifier_error", **kwargs):
        super().__init__(message, code=code, **kwargs)


def default_threshold() -> float:
    return float(getattr(settings, "CLASSIFIER_CONFIDENCE_THRESHOLD", 0.5))


def live_model_path() -> Path:
    return Path(getattr(settings, "CLASSIFIER_MODEL_PATH", settings.VAR_DIR / "models" / "task_classifier.joblib"))


@dataclass
class Prediction:
    """A proposed category; ``alternatives`` are the top three candidates (the chosen one first) with their scores."""

    code: str | None
    confidence: float
    method: str
    alternatives: list[tuple[str, float]] = field(default_factory=list)
    # The threshold it was judged against; None means the configured default.
    threshold: float | None = None

    @property
    def needs_person(self) -> bool:
        return needs_person(self, self.threshold)


def needs_person(prediction: Prediction, threshold: float | None = None) -> bool:
    """Whether a dispatcher must choose the category because the classifier is not sure enough."""
    if threshold is None:
        threshold = default_threshold()
    return prediction.code is None or prediction.confidence < threshold


def normalize(text: str) -> str:
    # NFKC folds full-width letters and digits typed on phones into their ASCII forms.
    return unicodedata.normalize("NFKC", text or "").lower().strip()


# --- keyword cold start -------------------------------------------------------------------------


class KeywordClassifier:
    """Scores each category by the keywords (and its own name) found in the text."""

    # Score at which a match is "strong": a 4-character keyword gives about 0.63, two of them about 0.86.
    STRENGTH_SCALE = 4.0

    def __init__(self, terms_by_code: dict[str, list[str]]):
        self.terms_by_code = {
            code: sorted({normalize(t) for t in terms if len(normalize(t)) >= 2}, key=len, reverse=True)
            for code, terms in terms_by_code.items()
        }

    @classmethod
    def from_categories(cls, categories) -> KeywordClassifier:
        """Build from active leaf categories; accepts a Category queryset or any iterable of category-like objects."""
        if hasattr(categories, "filter") and hasattr(categories, "model"):
            categories = categories.filter(is_active=True).exclude(deadline_unit="").only("code", "name", "keywords", "is_active", "deadline_unit")
        terms_by_code = {}
        for category in categories:
            if not getattr(category, "is_active", True) or not getattr(category, "deadline_unit", "x"):
                continue
            # The catalogue's words plus everyday synonyms (classifier_keywords) for a useful day one.
            terms_by_code[category.code] = [*name_terms(category.name), *(category.keywords or []), *SYNONYMS.get(category.code, [])]
        return cls(terms_by_code)

    def scores(self, text: str) -> dict[str, float]:
        text = normalize(text)
        scores = {}
        for code, terms in self.terms_by_code.items():
            score = _matched_length(text, terms)
            if score:
                scores[code] = float(score)
        return scores

    def predict(self, text: str) -> Prediction:
        scores = self.scores(text)
        if not scores:
            return Prediction(code=None, confidence=0.0, method=METHOD_NONE)
        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
        best = ranked[0][1]
        runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
        strength = 1.0 - math.exp(-best / self.STRENGTH_SCALE)
        margin = (best - runner_up) / best
        # A tie halves the confidence, so two equally good categories always go to a person.
        confidence = strength * (0.5 + 0.5 * margin)
        alternatives = [(code, round(score, 3)) for code, score in ranked[:3]]
        return Prediction(code=ranked[0][0], confidence=round(confidence, 4), method=METHOD_KEYWORDS, alternatives=alternatives)

    def predict_many(self, texts) -> list[Prediction]:
        return [self.predict(text) for text in texts]

    def evaluate(self, texts, labels) -> dict:
        predictions = self.predict_many(texts)
        result = classification_metrics(labels, [p.code for p in predictions])
        result["methods"] = dict(Counter(p.method for p in predictions))
        return result


def name_terms(name: str) -> list[str]:
    """'配电箱（变电箱）' → ['配电箱', '变电箱']: the bracketed part is another name for the same thing."""
    name = normalize(name)
    for bracket in "()（）":
        name = name.replace(bracket, " ")
    return [part for part in name.split() if part]


def _matched_length(text: str, terms: list[str]) -> int:
    """Total length of non-overlapping matches, longest terms first, so "井盖松动" is not counted again as "井盖"."""
    taken = [False] * len(text)
    total = 0
    for term in terms:  # sorted longest first
        start = text.find(term)
        while start != -1:
            end = start + len(term)
            if not any(taken[start:end]):
                taken[start:end] = [True] * len(term)
                total += len(term)
            start = text.find(term, start + 1)
    return total


# --- trained model ------------------------------------------------------------------------------


class TextClassifier:
    """TF-IDF features and a linear model, chosen by classifier_search and calibrated so confidence is a probability.

    ``config`` names the feature set and model (classifier_search.FEATURES / MODELS); the default is the plain
    baseline, character 1–3-grams + LinearSVC. classifier_train chooses the configuration by grouped
    cross-validation and stores it, with the cross-validated scores, in ``meta``.
    """

    def __init__(self, *, config=None, pipeline=None, meta=None):

        self.config = dict(config or classifier_search.BASELINE)
        self.pipeline = pipeline
        self.meta = dict(meta or {})

    @property
    def labels(self) -> list[str]:
        self._require_fitted()
        return [str(label) for label in self.pipeline.classes_]

    def fit(self, texts, labels) -> TextClassifier:
        texts, labels = list(texts), [str(label) for label in labels]
        if len(texts) != len(labels):
            raise ClassifierError(_("There are %(texts)d texts but %(labels)d labels.") % {"texts": len(texts), "labels": len(labels)})
        if len(set(labels)) < 2:
            raise ClassifierError(_("Training needs at least two different labels."), code="too_few_labels")

        self.pipeline, is_calibrated = classifier_search.calibrated(self.config, texts, labels)
        trained_at = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
        self.meta.update(n_train=len(texts), labels=sorted(set(labels)), trained_at=trained_at, config=self.config, calibrated=is_calibrated)
        return self

    def _require_fitted(self):
        if self.pipeline is None:
            raise ClassifierError(_("The classifier has not been trained."), code="not_trained")

    def predict(self, text: str) -> Prediction:
        return self.predict_many([text])[0]

    def predict_many(self, texts) -> list[Prediction]:
        self._require_fitted()
        texts = list(texts)
        if not texts:
            return []
        probabilities = _probabilities(self.pipeline, texts)
        classes = self.labels
        predictions = []
        for row in probabilities:
            order = row.argsort()[::-1][:3]
            alternatives = [(classes[i], round(float(row[i]), 4)) for i in order]
            predictions.append(
                Prediction(code=alternatives[0][0], confidence=float(row[order[0]]), method=METHOD_MODEL, alternatives=alternatives)
            )
        return predictions

    def probabilities(self, text: str) -> dict[str, float]:
        """Every category's probability for one text (dedup's topic when the keywords name nothing)."""
        self._require_fitted()
        return {code: float(p) for code, p in zip(self.labels, _probabilities(self.pipeline, [text])[0])}

    def evaluate(self, texts, labels) -> dict:
        predictions = self.predict_many(texts)
        return classification_metrics(labels, [p.code for p in predictions])

    def save(self, path) -> Path:
        import joblib
        import sklearn

        self._require_fitted()
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = {"format": MODEL_FORMAT, "format_version": MODEL_FORMAT_VERSION, "sklearn_version": sklearn.__version__,
                   "labels": self.labels, "config": self.config, "meta": self.meta, "pipeline": self.pipeline}
        # Write beside the target and rename: classify() in a running server must never read half a file.
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        os.close(fd)
        try:
            joblib.dump(payload, tmp_name, compress=3)
            os.replace(tmp_name, path)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise
        return path

    @classmethod
    def load(cls, path) -> TextClassifier:
        """Load a model saved by save(). Model files are pickles: load only files this platform wrote."""
        import joblib
        import sklearn

        path = Path(path)
        if not path.is_file():
            raise ClassifierError(_("There is no classifier model at %(path)s.") % {"path": path}, code="model_missing")
        try:
            payload = joblib.load(path)
        except Exception as exc:  # joblib raises many kinds (pickle, zlib, EOF, KeyError) for foreign files
            raise ClassifierError(
                _("%(path)s is not a classifier model file (%(error)s).") % {"path": path, "error": type(exc).__name__}, code="model_invalid"
            ) from exc
        if not isinstance(payload, dict) or payload.get("format") != MODEL_FORMAT:
            raise ClassifierError(_("%(path)s is not a classifier model file of this platform.") % {"path": path}, code="model_invalid")
        if payload.get("format_version") != MODEL_FORMAT_VERSION:
            raise ClassifierError(
                _("%(path)s has model format %(found)s; this version reads %(expected)s. Train it again with manage.py classifier_train.")
                % {"path": path, "found": payload.get("format_version"), "expected": MODEL_FORMAT_VERSION},
                code="model_outdated",
            )
        # scikit-learn does not support unpickling across versions; a silently wrong model is worse than none.
        if payload.get("sklearn_version") != sklearn.__version__:
            raise ClassifierError(
                _("%(path)s was trained with scikit-learn %(found)s but %(running)s is installed. "
                  "Train it again with manage.py classifier_train.")
                % {"path": path, "found": payload.get("sklearn_version"), "running": sklearn.__version__},
                code="model_outdated",
            )
        return cls(config=payload["config"], pipeline=payload["pipeline"], meta=payload.get("meta"))


def classification_metrics(y_true, y_pred) -> dict:
    """Accuracy and macro F1 over the labels that occur in the truth; a missing prediction (None) counts as wrong."""
    from sklearn.metrics import accuracy_score, f1_score

    y_true = [str(label) for label in y_true]
    y_pred = ["" if label is None else str(label) for label in y_pred]
    if not y_true:
        return {"accuracy": None, "macro_f1": None, "n": 0}
    return {
        "accuracy": round(float(accuracy_score(y_true, y_pred)), 4),
        # Restricted to true labels so that a stray prediction of an unrelated category does not add a zero class.
        "macro_f1": round(float(f1_score(y_true, y_pred, labels=sorted(set(y_true)), average="macro", zero_division=0)), 4),
        "n": len(y_true),
    }


def _probabilities(estimator, texts):
    """Calibrated probabilities; an uncalibrated margin model (too few rows to calibrate) gets a softmax."""
    import numpy as np

    if hasattr(estimator, "predict_proba"):
        return estimator.predict_proba(texts)
    margins = np.atleast_2d(estimator.decision_function(texts))
    if margins.shape[0] != len(texts):  # binary: one margin per text
        margins = margins.T
    if margins.shape[1] == 1:
        margins = np.hstack([-margins, margins])
    margins = np.exp(margins - margins.max(axis=1, keepdims=True))
    return margins / margins.sum(axis=1, keepdims=True)


def train_and_measure(texts, labels, *, seed=0, configs=None) -> tuple[TextClassifier, dict | None]:
    """Choose the configuration by grouped cross-validation, then train it on everything, calibrated.

    The report is the cross-validated macro-F1 (mean and sd over folds) of the chosen configuration and of every
    candidate; None when a class has fewer than two rows (no fold could hold it out): then the baseline is used.
    """

    texts, labels = list(texts), [str(label) for label in labels]
    counts = Counter(labels)
    if len(counts) < 2:
        raise ClassifierError(_("Training needs at least two different labels."), code="too_few_labels")
    report = None
    config = classifier_search.BASELINE
    if min(counts.values()) >= 2:
        report = classifier_search.search(texts, labels, configs=configs, seed=seed)
        config = report["chosen"]
    model = TextClassifier(config=config).fit(texts, labels)
    model.meta["search"] = report
    return model, report


# --- the live classifier ------------------------------------------------------------------------

_live_lock = threading.Lock()
_live = {"key": None, "model": None}


def live_model() -> TextClassifier | None:
    """The live model, loaded once per process and again when the file changes; None when there is none."""
    path = live_model_path()
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    with _live_lock:
        if _live["key"] != key:
            try:
                model = TextClassifier.load(path)
            except ClassifierError:
                # Intake must keep working on keywords; the failure is remembered per file version, not retried per report.
                logger.exception("The live classifier model at %s cannot be used", path)
                model = None
            _live.update(key=key, model=model)
        return _live["model"]


KEYWORDS_TTL_SECONDS = 60
_keywords = {"built_at": 0.0, "classifier": None}


def keyword_classifier() -> KeywordClassifier:
    """Built once per process and rebuilt when a category changes here, or after a minute (other processes' edits)."""
    now = time.monotonic()
    with _live_lock:
        if _keywords["classifier"] is None or now - _keywords["built_at"] > KEYWORDS_TTL_SECONDS:
            _keywords.update(classifier=KeywordClassifier.from_categories(Category.objects.all()), built_at=now)
        return _keywords["classifier"]


def forget_keywords(**kwargs):
    """Signal receiver: an edited catalogue takes effect at the next report."""
    _keywords["classifier"] = None


def classify(text: str, *, threshold: float | None = None) -> Prediction:
    """Propose a category: the live model when it is sure enough, otherwise the keywords (cold start)."""
    if threshold is None:
        threshold = default_threshold()
    model = live_model()
    model_prediction = model.predict(text) if model is not None else None
    if model_prediction is not None and model_prediction.confidence >= threshold:
        prediction = model_prediction
    else:
        prediction = keyword_classifier().predict(text)
        # Neither is sure: offer the person the better of the two guesses.
        if model_prediction is not None and model_prediction.confidence > prediction.confidence:
            prediction = model_prediction
    prediction.threshold = threshold
    return prediction


def training_rows_from_closed_tasks():
    """(description, category code) of closed, categorised tasks: the live model's training data."""
    from django.apps import apps

    try:
        task_model = apps.get_model("dispatch", "Task")
    except (LookupError, ImportError) as exc:
        raise ClassifierError(
            _("The dispatch app with its Task model is not installed; there are no closed tasks to train on."), code="no_tasks"
        ) from exc
    rows = (
        task_model.objects.filter(status="closed", category__isnull=False)
        .exclude(description="")
        .values_list("description", "category__code")
    )
    return iter(rows.iterator(chunk_size=2000))


# --- CSV input ----------------------------------------------------------------------------------


def read_labelled_csv(path, *, text_col: str, label_col: str) -> tuple[list[str], list[str]]:
    """Texts and labels from a CSV file (UTF-8, with or without BOM); rows without text or label are skipped."""
    path = Path(path)
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise ClassifierError(_("Cannot read %(path)s: %(error)s") % {"path": path, "error": exc.strerror}, code="csv_unreadable") from exc
    with handle:
        reader = csv.DictReader(handle)
        columns = reader.fieldnames or []
        if not columns:
            raise ClassifierError(_("%(path)s is empty.") % {"path": path}, code="csv_empty")
        missing = [c for c in (text_col, label_col) if c not in columns]
        if missing:
            raise ClassifierError(
                _("%(path)s has no column %(missing)s; its columns are: %(columns)s.")
                % {"path": path, "missing": ", ".join(missing), "columns": ", ".join(columns)},
                code="csv_column_missing",
            )
        texts, labels = [], []
        for row in reader:
            text, label = (row.get(text_col) or "").strip(), (row.get(label_col) or "").strip()
            if text and label:
                texts.append(text)
                labels.append(label)
    if not texts:
        raise ClassifierError(_("%(path)s has no rows with both a text and a label.") % {"path": path}, code="csv_empty")
    return texts, labels
