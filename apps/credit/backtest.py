"""Backtest of the risk model: does a place rated higher before a day see more problems after it?

Everything is read from credit's own records (what the producers told it), so the same code runs on the demo data and on
real or imported history:

- **before the split**: each active place's risk is computed as the model would have on the split day, from the records
  about the place in the rule set's window before it (findings, complaints upheld, penalty decisions) and its operator's
  grade rebuilt from the operator's records in force on that day (occurred before it, not yet expired, not withdrawn,
  not repaired before it);
- **after the split**: a place "has a later problem" when at least one inspection finding, complaint upheld or penalty
  decision about it occurred in the period after the split (withdrawn records do not count).

Per level: places, places with a later problem, the rate, the mean number of problems; and whether the rates rise with
the level (levels without places are skipped).
"""
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from apps.credit import rules
from apps.credit.models import CreditRecord
from apps.credit.selectors import ruleset_active
from apps.gbcp.models import Place

PROBLEM_KINDS = (rules.FINDING, rules.COMPLAINT, rules.PENALTY)
HISTORY_NAMES = {rules.FINDING: "findings", rules.COMPLAINT: "complaints", rules.PENALTY: "cases"}


@dataclass
class LevelRow:
    level: str
    places: int = 0
    with_problem: int = 0
    problems: int = 0

    @property
    def rate(self) -> float | None:
        return self.with_problem / self.places if self.places else None

    @property
    def mean(self) -> float | None:
        return self.problems / self.places if self.places else None


@dataclass
class BacktestResult:
    split: dt.date
    window_days: int
    after_days: int
    rows: list = field(default_factory=list)
    levels_by_place: dict = field(default_factory=dict)

    @property
    def increasing(self) -> bool:
        """Whether the rate never falls from one level to the next higher (levels with places only)."""
        rates = [row.rate for row in self.rows if row.places]
        return all(a <= b for a, b in zip(rates, rates[1:]))

    @property
    def strictly_increasing(self) -> bool:
        rates = [row.rate for row in self.rows if row.places]
        return len(rates) > 1 and all(a < b for a, b in zip(rates, rates[1:]))


def _in_force(record, split: dt.date) -> bool:
    if record["status"] == CreditRecord.Status.WITHDRAWN:
        return False
    if record["occurred_on"] >= split or record["expires_on"] <= split:
        return False
    if record["status"] == CreditRecord.Status.REPAIRED and record["status_changed_at"] is not None:
        return timezone.localtime(record["status_changed_at"]).date() >= split
    return True


def _grades_at(split: dt.date, entity_ids, ruleset) -> dict:
    """{entity id: grade} rebuilt from the records in force on the split day (one query)."""
    by_entity = defaultdict(list)
    fields = ("id", "entity_id", "kind", "weight", "occurred_on", "expires_on", "status", "status_changed_at")
    for record in CreditRecord.objects.filter(entity_id__in=list(entity_ids), occurred_on__lt=split).values(*fields):
        if _in_force(record, split):
            by_entity[record["entity_id"]].append(rules.RecordIn(record["id"], record["kind"], record["weight"], record["occurred_on"]))
    base, a_min, b_min, c_min = (ruleset.base_score, ruleset.a_min, ruleset.b_min, ruleset.c_min) if ruleset else (80, 90, 75, 60)
    return {pk: rules.grade_compute(base=base, a_min=a_min, b_min=b_min, c_min=c_min, records=by_entity.get(pk, []))[1]
            for pk in entity_ids}


def run_backtest(*, split: dt.date, after_days: int = 365, places=None) -> BacktestResult:
    """The backtest on ``places`` (default: every active place), with the active rule set (or the defaults)."""
    ruleset = ruleset_active()
    settings = ruleset.risk_settings() if ruleset else rules.DEFAULT_RISK_SETTINGS
    window = settings.window_days
    qs = places if places is not None else Place.objects.filter(is_active=True)
    place_rows = list(qs.order_by("pk").values_list("pk", "kind", "operator_id"))
    ids = [pk for pk, _kind, _op in place_rows]
    start, end = split - dt.timedelta(days=window), split + dt.timedelta(days=after_days)
    history = {pk: {"findings": 0, "complaints": 0, "cases": 0, "last_at": None} for pk in ids}
    later = defaultdict(int)
    records = CreditRecord.objects.filter(place_id__in=ids, kind__in=PROBLEM_KINDS, occurred_on__gte=start, occurred_on__lt=end).exclude(
        status=CreditRecord.Status.WITHDRAWN).values_list("place_id", "kind", "occurred_on")
    for place_id, kind, occurred_on in records:
        if occurred_on >= split:
            later[place_id] += 1
            continue
        counts = history[place_id]
        counts[HISTORY_NAMES[kind]] += 1
        if counts["last_at"] is None or occurred_on > counts["last_at"]:
            counts["last_at"] = occurred_on
    grades = _grades_at(split, {op for _pk, _kind, op in place_rows if op}, ruleset)
    result = BacktestResult(split=split, window_days=window, after_days=after_days)
    by_level = {level: LevelRow(level) for level in rules.RISK_LEVELS}
    for pk, kind, operator_id in place_rows:
        _score, level, _parts = rules.risk_compute(place_kind=kind, history=history[pk], operator_grade=grades.get(operator_id),
                                                   has_operator=bool(operator_id), today=split, settings=settings)
        result.levels_by_place[pk] = level
        row = by_level[level]
        row.places += 1
        row.problems += later[pk]
        row.with_problem += 1 if later[pk] else 0
    result.rows = [by_level[level] for level in rules.RISK_LEVELS]
    return result
