"""The credit grade and the place risk as pure functions of their inputs, with the default rule set.

Nothing here reads the database: the services load the records, the rule set and the history and
pass them in, so the formulas are tested with hand-computed figures and documented in docs/CREDIT.md.

Grade: score = base score + the sum of the weights of the active records, kept within 0..100;
A if score >= a_min, B if >= b_min, C if >= c_min, else D.

Risk: score = inherent (by place kind) + history (findings, complaints, cases in the window, each
count times its points up to a cap) + operator grade (points by grade) + recency (points if the
latest finding or case lies within a number of days), kept within 0..100; levels by thresholds.
"""
import datetime as dt
from dataclasses import dataclass

# Kinds of source (kept in step with models.SourceKind; plain strings so this module stays pure).
PENALTY = "penalty_decision"
FINDING = "inspection_finding"
SELF_CHECK = "self_check"
COMPLAINT = "complaint_upheld"
FRONTAGE = "frontage_performance"
COMMENDATION = "commendation"
IMPORTED = "imported"
KINDS = (PENALTY, FINDING, SELF_CHECK, COMPLAINT, FRONTAGE, COMMENDATION, IMPORTED)

# Weights are signed points. A penalty weighs by its size: a warning alone, a fine, a fine at or above the major amount.
DEFAULT_WEIGHTS = {
    PENALTY: -10, "penalty_decision_warning": -4, "penalty_decision_major": -20,
    FINDING: -3, SELF_CHECK: 1, "self_check_failed": 0, COMPLAINT: -2, FRONTAGE: 0, COMMENDATION: 5, IMPORTED: 0,
    "frontage_good": 1, "frontage_fair": 0, "frontage_poor": -2,
}
# 门前三包: a month's assessment grade (ledger.FrontageAssessment.Grade) → the rule whose weight it carries.
FRONTAGE_RULES = {"good": "frontage_good", "fair": "frontage_fair", "poor": "frontage_poor"}
DEFAULT_VALIDITY_DAYS = {PENALTY: 1095, FINDING: 365, SELF_CHECK: 180, COMPLAINT: 365, FRONTAGE: 365, COMMENDATION: 730, IMPORTED: 365}
# 信用修复: which kinds may be repaired, and how many days after they occurred at the earliest.
DEFAULT_REPAIR_AFTER_DAYS = {PENALTY: 365, FINDING: 90, COMPLAINT: 90, FRONTAGE: 90}
DEFAULT_MAJOR_FINE = 10000  # yuan
# 联合惩戒: a record in force weighing this or less is serious (the default major-fine penalty weighs -20).
DEFAULT_SERIOUS_WEIGHT = -20
MAJOR_PENALTY_RULE = "penalty_decision_major"


def is_serious(*, rule: str, weight: int, serious_weight: int) -> bool:
    """A serious violation record: a penalty at or above the major fine, or any record weighing ``serious_weight`` or less."""
    return rule == MAJOR_PENALTY_RULE or int(weight) <= int(serious_weight)

GRADES = ("A", "B", "C", "D")

RISK_LEVELS = ("low", "medium", "high", "very_high")
DEFAULT_RISK_INHERENT = {
    "restaurant": 30, "market": 30, "construction_site": 35, "waste_station": 25, "shop": 20, "billboard": 15,
    "building": 15, "street_segment": 15, "parking": 10, "park": 10, "manhole": 10, "street_lamp": 5,
}
DEFAULT_RISK_INHERENT_OTHER = 15
DEFAULT_RISK_HISTORY = {"findings": [4, 20], "complaints": [3, 15], "cases": [6, 18]}  # [points per count, cap]
DEFAULT_RISK_GRADE_POINTS = {"A": -10, "B": 0, "C": 10, "D": 20}
DEFAULT_RISK_RECENCY = [[30, 10], [90, 5]]  # [within days, points], first that holds
DEFAULT_RISK_THRESHOLDS = {"medium": 25, "high": 45, "very_high": 65}  # minimum score of each level above low
DEFAULT_RISK_WINDOW_DAYS = 365

# The draw weight of a level (probability proportional to it) and the longest interval between inspections.
LEVEL_WEIGHT = {"low": 1.0, "medium": 2.0, "high": 3.0, "very_high": 4.0}
UNRATED_LEVEL = "medium"  # a place not yet rated counts as medium: nothing says it is low
LEVEL_MAX_INTERVAL_DAYS = {"low": None, "medium": 60, "high": 30, "very_high": 14}


def clamp(value, low=0, high=100):
    return max(low, min(high, value))


def grade_of(score: int, *, a_min: int, b_min: int, c_min: int) -> str:
    if score >= a_min:
        return "A"
    if score >= b_min:
        return "B"
    if score >= c_min:
        return "C"
    return "D"


@dataclass(frozen=True)
class RecordIn:
    """One active record as the grade sees it."""

    id: int
    kind: str
    weight: int
    occurred_on: dt.date
    reason: str = ""


def grade_compute(*, base: int, a_min: int, b_min: int, c_min: int, records) -> tuple[int, str, list[dict]]:
    """(score, grade, contributions): every active record with its weight, largest effect first."""
    records = sorted(records, key=lambda r: (-abs(r.weight), r.occurred_on, r.id))
    score = clamp(base + sum(r.weight for r in records))
    contributions = [
        {"record": r.id, "kind": r.kind, "weight": r.weight, "occurred_on": r.occurred_on.isoformat(), "reason": r.reason} for r in records
    ]
    return score, grade_of(score, a_min=a_min, b_min=b_min, c_min=c_min), contributions


def penalty_weight(weights: dict, *, fine, warning: bool, major_fine) -> tuple[int, str]:
    """The weight of a penalty decision and which rule gave it."""
    if fine and float(fine) >= float(major_fine):
        return int(weights.get("penalty_decision_major", DEFAULT_WEIGHTS["penalty_decision_major"])), "penalty_decision_major"
    if not fine or float(fine) <= 0:
        return int(weights.get("penalty_decision_warning", DEFAULT_WEIGHTS["penalty_decision_warning"])), "penalty_decision_warning"
    return int(weights.get(PENALTY, DEFAULT_WEIGHTS[PENALTY])), PENALTY


@dataclass(frozen=True)
class RiskSettings:
    inherent: dict
    history: dict
    grade_points: dict
    recency: list
    thresholds: dict
    window_days: int


DEFAULT_RISK_SETTINGS = RiskSettings(
    inherent=DEFAULT_RISK_INHERENT, history=DEFAULT_RISK_HISTORY, grade_points=DEFAULT_RISK_GRADE_POINTS,
    recency=DEFAULT_RISK_RECENCY, thresholds=DEFAULT_RISK_THRESHOLDS, window_days=DEFAULT_RISK_WINDOW_DAYS,
)


def level_of(score: int, thresholds: dict) -> str:
    for level in ("very_high", "high", "medium"):
        if score >= int(thresholds[level]):
            return level
    return "low"


def risk_compute(*, place_kind: str, history: dict, operator_grade: str | None, has_operator: bool, today: dt.date,
                 settings: RiskSettings = DEFAULT_RISK_SETTINGS) -> tuple[int, str, list[dict]]:
    """(score, level, parts). ``history``: {"findings": n, "complaints": n, "cases": n, "last_at": date or None}.

    Each part carries its figure and the basis it came from; pages word the basis (``why``).
    """
    parts = []
    inherent = int(settings.inherent.get(place_kind, DEFAULT_RISK_INHERENT_OTHER))
    parts.append({"part": "inherent", "figure": inherent, "basis": {"kind": place_kind}})
    for name in ("findings", "complaints", "cases"):
        count = int(history.get(name) or 0)
        per, cap = settings.history.get(name, [0, 0])
        parts.append({"part": name, "figure": min(count * int(per), int(cap)),
                      "basis": {"count": count, "per": int(per), "cap": int(cap), "days": settings.window_days}})
    if not has_operator:
        parts.append({"part": "operator_grade", "figure": 0, "basis": {"grade": None, "operator": False}})
    else:
        parts.append({"part": "operator_grade", "figure": int(settings.grade_points.get(operator_grade, 0)) if operator_grade else 0,
                      "basis": {"grade": operator_grade, "operator": True}})
    last_at = history.get("last_at")
    recency, within = 0, None
    if last_at is not None:
        days = (today - last_at).days
        for limit, points in settings.recency:
            if days <= int(limit):
                recency, within = int(points), int(limit)
                break
        parts.append({"part": "recency", "figure": recency, "basis": {"days_ago": days, "within": within}})
    else:
        parts.append({"part": "recency", "figure": 0, "basis": {"days_ago": None, "within": None}})
    score = clamp(sum(p["figure"] for p in parts))
    return score, level_of(score, settings.thresholds), parts


def level_weight(level: str | None) -> float:
    return LEVEL_WEIGHT[level or UNRATED_LEVEL]


def level_max_interval(level: str | None):
    return LEVEL_MAX_INTERVAL_DAYS[level or UNRATED_LEVEL]
