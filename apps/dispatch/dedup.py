"""Duplicate detection (智能去重): explainable scores against open tasks near in space and time.

score = distance part + time part + text part + place part + reporter part, each visible:
- distance: WEIGHT_DISTANCE × (1 − d / radius)
- time:     WEIGHT_TIME × (1 − Δt / window)
- text:     WEIGHT_TEXT × text similarity (dedup_text: IDF-weighted jieba words and the named problem;
            templated wording earns little); its ingredients are stored too (text_words, text_topic, ...)
- place:    WEIGHT_PLACE × places in both texts (1 same road+number or landmark, 0 different, ½ unknown)
- reporter: WEIGHT_REPORTER when the phone number is the same
Space, time and place together stay below the default suggest threshold: a paraphrase needs its text.
Radius and window per category: the admin rule, else the calibrated file (dedup_calibrate), else the defaults.
Candidates come from the spatial index (a bounding box around the point) and
the (category, status, received_at) index, never from a scan of all tasks.
"""
import datetime as dt
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.db.models import Q

from apps.dispatch import dedup_text
from apps.dispatch.classifier import default_threshold, keyword_classifier, live_model
from apps.dispatch.models import OPEN_STATUSES, Task
from apps.gbcp.distance import box_around, metres_between

WEIGHT_DISTANCE = 0.20
WEIGHT_TIME = 0.10
WEIGHT_TEXT = 0.50
WEIGHT_PLACE = 0.10
WEIGHT_REPORTER = 0.10
MAX_CANDIDATES = 50
_STRIP = re.compile(r"[\s\W_]+", re.UNICODE)


@dataclass
class Rule:
    radius_m: float
    window_hours: float
    merge_threshold: float
    suggest_threshold: float


@dataclass
class Scored:
    candidate: object
    score: float
    parts: dict = field(default_factory=dict)


def rule_for(category) -> Rule:
    defaults = settings.DISPATCH_DEDUP_DEFAULTS
    rule = getattr(category, "dispatch_rule", None) if category is not None else None
    if rule is None:
        fitted = dedup_text.calibrated_rule(getattr(category, "code", None))
        if fitted:
            return Rule(**{**defaults, "radius_m": fitted["radius_m"], "window_hours": fitted["window_hours"]})
        return Rule(**defaults)
    return Rule(rule.dedup_radius_m, rule.dedup_window_hours, rule.merge_threshold, rule.suggest_threshold)


def bigrams(text: str) -> set[str]:
    clean = _STRIP.sub("", (text or "").lower())
    if len(clean) < 2:
        return {clean} if clean else set()
    return {clean[i : i + 2] for i in range(len(clean) - 1)}


def text_similarity(a: str, b: str) -> float:
    x, y = bigrams(a), bigrams(b)
    if not x or not y:
        return 0.0
    return len(x & y) / len(x | y)


def candidate_queryset(*, point, category, received_at, rule: Rule, reporter_phone="", exclude_id=None):
    """Open master tasks in the window whose point falls in the box (index lookups only)."""
    start = received_at - dt.timedelta(hours=rule.window_hours)
    # These two conditions match the partial GiST index of open tasks on PostGIS (migration 0002),
    # so the closed history, however long, is never read.
    qs = Task.objects.filter(status__in=OPEN_STATUSES, master__isnull=True, received_at__gte=start, received_at__lte=received_at)
    if category is not None:
        qs = qs.filter(Q(category=category) | Q(category__isnull=True))
    box = box_around(point, rule.radius_m * (3 if reporter_phone else 1))
    if connection.vendor == "sqlite":
        # SpatiaLite answers a box query from its R*Tree only when asked through SpatialIndex.
        west, south, east, north = box.extent
        qs = qs.extra(
            where=[
                "dispatch_task.id IN (SELECT rowid FROM SpatialIndex WHERE f_table_name = 'dispatch_task' "
                "AND f_geometry_column = 'point' AND search_frame = BuildMbr(%s, %s, %s, %s, 4326))"
            ],
            params=[west, south, east, north],
        )
    else:
        qs = qs.filter(point__bboverlaps=box)
    if exclude_id is not None:
        qs = qs.exclude(pk=exclude_id)
    return qs.only("id", "number", "description", "point", "received_at", "reporter_phone", "category_id", "status")[:MAX_CANDIDATES]


def score(*, point, text, received_at, reporter_phone, candidate, rule: Rule, keywords=None, idf=None,
          mode: str = "paraphrase") -> Scored | None:
    if mode == "bigram":
        return score_bigram(point=point, text=text, received_at=received_at, reporter_phone=reporter_phone, candidate=candidate, rule=rule)
    distance = metres_between(point, candidate.point)
    same_reporter = bool(reporter_phone) and reporter_phone == candidate.reporter_phone
    limit = rule.radius_m * (3 if same_reporter else 1)
    if distance > limit:
        return None
    hours = max((received_at - candidate.received_at).total_seconds() / 3600.0, 0.0)
    detail = dedup_text.text_parts(text, candidate.description, keywords, idf)
    parts = {
        # The same reporter's repeat counts over a wider radius (phones drift, people walk on).
        "distance": round(WEIGHT_DISTANCE * max(0.0, 1 - distance / limit), 4),
        "time": round(WEIGHT_TIME * max(0.0, 1 - hours / rule.window_hours), 4),
        "text": round(WEIGHT_TEXT * detail["text"], 4),
        "place": round(WEIGHT_PLACE * detail["place"], 4),
        "reporter": WEIGHT_REPORTER if same_reporter else 0.0,
        "text_words": detail["words"], "text_information": detail["information"], "text_topic": detail["topic"],
        "places_shared": detail["places_shared"],
        "distance_m": round(distance, 1),
        "hours": round(hours, 2),
    }
    total = parts["distance"] + parts["time"] + parts["text"] + parts["place"] + parts["reporter"]
    return Scored(candidate=candidate, score=round(total, 4), parts=parts)


# The former scoring (settings.DISPATCH_DEDUP_SCORING="bigram"): distance 0.30, time 0.15, text 0.45 × Jaccard of
# character bigrams, reporter 0.10. Kept to compare with (dedup_eval) and as a fallback; "paraphrase" is the default
# since it was measured through intake (docs/INTELLIGENCE.md).
BIGRAM_WEIGHTS = {"distance": 0.30, "time": 0.15, "text": 0.45}


def score_bigram(*, point, text, received_at, reporter_phone, candidate, rule: Rule) -> Scored | None:
    distance = metres_between(point, candidate.point)
    same_reporter = bool(reporter_phone) and reporter_phone == candidate.reporter_phone
    limit = rule.radius_m * (3 if same_reporter else 1)
    if distance > limit:
        return None
    hours = max((received_at - candidate.received_at).total_seconds() / 3600.0, 0.0)
    parts = {
        "distance": round(BIGRAM_WEIGHTS["distance"] * max(0.0, 1 - distance / limit), 4),
        "time": round(BIGRAM_WEIGHTS["time"] * max(0.0, 1 - hours / rule.window_hours), 4),
        "text": round(BIGRAM_WEIGHTS["text"] * text_similarity(text, candidate.description), 4),
        "place": 0.0,
        "reporter": WEIGHT_REPORTER if same_reporter else 0.0,
        "distance_m": round(distance, 1),
        "hours": round(hours, 2),
    }
    total = parts["distance"] + parts["time"] + parts["text"] + parts["reporter"]
    return Scored(candidate=candidate, score=round(total, 4), parts=parts)


def topic_source() -> dedup_text.TopicSource:
    """The named problem of a text: keywords first, the live classifier where they name nothing and it is sure. Only a
    calibrated model counts: an uncalibrated one (too few closed tasks per category) gives a softmax of margins, whose
    "sure" means nothing, and would merge any two reports at one spot."""
    model = live_model()
    if model is not None and not model.meta.get("calibrated"):
        model = None
    return dedup_text.TopicSource(keyword_classifier(), model, default_threshold())


def find_duplicates(*, point, text, received_at, category, reporter_phone="", exclude_id=None) -> tuple[Rule, list[Scored]]:
    rule = rule_for(category)
    if point is None:
        return rule, []
    scored = []
    mode = settings.DISPATCH_DEDUP_SCORING
    keywords, idf = (topic_source(), dedup_text.idf_table()) if mode == "paraphrase" else (None, None)
    for candidate in candidate_queryset(point=point, category=category, received_at=received_at, rule=rule, reporter_phone=reporter_phone, exclude_id=exclude_id):
        result = score(point=point, text=text, received_at=received_at, reporter_phone=reporter_phone, candidate=candidate, rule=rule,
                       keywords=keywords, idf=idf, mode=mode)
        if result is not None and result.score >= rule.suggest_threshold:
            scored.append(result)
    scored.sort(key=lambda s: -s.score)
    return rule, scored
