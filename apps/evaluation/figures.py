"""The figures of docs/EVALUATION.md, computed from counts: no database here.

A ``Tally`` holds the summable counts of one organisation (or a unit of several) over some days. The direct
computation (from the tasks themselves) and the daily rollup both fill tallies with ``add_task`` and
``add_summons``; a unit's figures over a period are the figures of the sum of its tallies.
"""
from dataclasses import dataclass, fields
from datetime import datetime

from django.utils.translation import gettext_lazy as _

# Rating levels and task status as dispatch stores them (reading another app's constants is allowed).
SATISFIED, BASIC, DISSATISFIED = "satisfied", "basic", "dissatisfied"
STATUS_NEW, STATUS_CLOSED = "new", "closed"

MICRO = 1_000_000  # 响应度 per task is kept in millionths so that sums are exact integers

# key → label; the keys are those of the API, the XLSX export and Indicator.figure.
FIGURES = {
    "response_rate": _("response rate (响应率)"),
    "solution_rate": _("solution rate (解决率)"),
    "satisfaction_rate": _("satisfaction rate (满意率)"),
    "responsiveness": _("responsiveness (响应度)"),
    "routing_fit": _("routing fit (契合度)"),
    "staffing_match": _("staffing match (匹配度)"),
    "whistle_on_time_rate": _("whistle on-time rate (按时报到率)"),
    "whistle_mean_late_minutes": _("mean minutes late (平均迟到分钟)"),
    "legal_return_rate": _("legal-review return rate (法制审核退回率)"),
    "review_change_rate": _("decisions changed on review (复核改变率)"),
    "review_overturn_rate": _("review and litigation overturn rate (复议诉讼纠错率)"),
}
RATE_FIGURES = set(FIGURES) - {"whistle_mean_late_minutes"}


@dataclass
class Tally:
    """Summable counts (symbols of docs/EVALUATION.md §2–3)."""

    received: int = 0            # |T|
    reached: int = 0             # |D|
    accepted: int = 0            # |A|
    response_scored: int = 0     # |A_d|
    response_micro: int = 0      # Σ r_t, in millionths
    closed: int = 0              # |C|
    solved: int = 0              # |S|
    rated: int = 0               # |R|
    rated_satisfied: int = 0     # |R_s|
    rated_basic: int = 0         # |R_b|
    rated_dissatisfied: int = 0  # |R_d|
    first_time_right: int = 0    # |F|
    reopened: int = 0            # |K|
    summons: int = 0             # |W|
    summons_on_time: int = 0     # |W_on|
    summons_late: int = 0        # |W_late|
    summons_late_minutes: int = 0  # Σ late_minutes
    summons_missing: int = 0     # |W_miss|
    summons_waiting: int = 0     # |W_wait|

    def __iadd__(self, other):
        for name in TALLY_FIELDS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self

    @classmethod
    def from_mapping(cls, mapping):
        return cls(**{name: int(mapping.get(name) or 0) for name in TALLY_FIELDS})

    def as_dict(self):
        return {name: getattr(self, name) for name in TALLY_FIELDS}

    @property
    def unrated(self):  # |U| = |C| − |R|: a rating exists only for a closed task
        return self.closed - self.rated

    def add_task(self, *, status, received_at, accepted_at, deadline, solved, rating, rerouted, reopened):
        """Count one task of the cohort (merged duplicates never reach here)."""
        self.received += 1
        if status == STATUS_NEW:
            return
        self.reached += 1
        if accepted_at is not None:
            self.accepted += 1
            score = response_score(received_at, accepted_at, deadline)
            if score is not None:
                self.response_scored += 1
                self.response_micro += score
        if status == STATUS_CLOSED:
            self.closed += 1
            if solved:
                self.solved += 1
        if rating:
            self.rated += 1
            if rating == SATISFIED:
                self.rated_satisfied += 1
            elif rating == BASIC:
                self.rated_basic += 1
            elif rating == DISSATISFIED:
                self.rated_dissatisfied += 1
        if not rerouted:
            self.first_time_right += 1
        if reopened:
            self.reopened += 1

    def add_summons(self, *, due_at, reported_at, late_minutes, now):
        self.summons += 1
        if reported_at is None:
            if due_at < now:
                self.summons_missing += 1
            else:
                self.summons_waiting += 1
        elif late_minutes:
            self.summons_late += 1
            self.summons_late_minutes += late_minutes
        else:
            self.summons_on_time += 1


TALLY_FIELDS = [f.name for f in fields(Tally)]


def response_score(received_at: datetime, accepted_at: datetime, deadline: datetime | None) -> int | None:
    """r_t in millionths: 1 − (time to accept) / (time allowed), clamped to [0, 1]; None without a usable deadline."""
    if deadline is None or deadline <= received_at:
        return None
    used = (accepted_at - received_at).total_seconds() / (deadline - received_at).total_seconds()
    return round(min(max(1.0 - used, 0.0), 1.0) * MICRO)


@dataclass(frozen=True)
class Ratio:
    """A figure as numerator over denominator; ``value`` is None (shown "—") when the denominator is 0."""

    numerator: float
    denominator: float
    scale: int = 1  # the numerator is in 1/scale units (response_micro)

    @property
    def value(self):
        if not self.denominator:
            return None
        return self.numerator / (self.denominator * self.scale)

    def percent(self):
        value = self.value
        return "—" if value is None else f"{value * 100:.1f} %"

    def as_dict(self):
        return {"value": self.value, "numerator": self.numerator / self.scale if self.scale != 1 else self.numerator,
                "denominator": self.denominator}


def task_figures(t: Tally) -> dict:
    return {
        "response_rate": Ratio(t.accepted, t.reached),
        "solution_rate": Ratio(t.solved, t.reached),
        "satisfaction_rate": Ratio(t.rated_satisfied + t.rated_basic, t.rated),
        "responsiveness": Ratio(t.response_micro, t.response_scored, MICRO),
        "routing_fit": Ratio(t.first_time_right, t.reached),
        "rating_share": Ratio(t.rated, t.closed),
    }


def whistle_figures(t: Tally) -> dict:
    return {
        "whistle_on_time_rate": Ratio(t.summons_on_time, t.summons - t.summons_waiting),
        "whistle_mean_late_minutes": Ratio(t.summons_late_minutes, t.summons_late),
    }


def staffing_match(load: int, officers: int, parent_load: int | None, parent_officers: int | None) -> Ratio:
    """匹配度 = min(k_u, k_ref) / max(k_u, k_ref), k = load per officer (§2); "—" where the doc says so."""
    if not load or not parent_load or not parent_officers:
        return Ratio(0, 0)
    if not officers:
        return Ratio(0, 1)
    k_u, k_ref = load / officers, parent_load / parent_officers
    return Ratio(min(k_u, k_ref), max(k_u, k_ref))


def case_figures(cases: list[dict]) -> dict:
    """Case quality (§4) from rows {legal_returns, leader_returns, changed, overturned} of the cases of V; a row without
    ``overturned`` counts as not overturned."""
    returned = sum(1 for c in cases if c["legal_returns"])
    changed = sum(1 for c in cases if c["changed"])
    overturned = sum(1 for c in cases if c.get("overturned"))
    return {
        "legal_return_rate": Ratio(returned, len(cases)),
        "review_change_rate": Ratio(changed, len(cases)),
        "review_overturn_rate": Ratio(overturned, len(cases)),
        "review_returns": sum(c["legal_returns"] + c["leader_returns"] for c in cases),
    }


def attainment(value, target, direction) -> float | None:
    """a_i of §8: None when the value is undefined."""
    if value is None:
        return None
    value, target = float(value), float(target)
    if direction == "lower":
        if value <= target:
            return 1.0
        return 0.0 if target == 0 else target / value
    if target <= 0:
        return 1.0
    return min(value / target, 1.0)


def weighted_score(parts: list[tuple[float, float | None]]) -> tuple[float | None, bool]:
    """score = 100 · Σ w·a / Σ w over the defined indicators; (None, …) when none is defined; the flag says incomplete."""
    defined = [(float(w), a) for w, a in parts if a is not None]
    if not defined:
        return None, bool(parts)
    total = sum(w for w, _a in defined)
    return 100.0 * sum(w * a for w, a in defined) / total, len(defined) < len(parts)


def competition_ranks(scores: list[float | None]) -> list[int | None]:
    """Ranks of scores (higher first; equal scores share a rank: 1, 1, 3); None for no score."""
    ordered = sorted((s for s in scores if s is not None), reverse=True)
    first = {}
    for i, s in enumerate(ordered):
        first.setdefault(round(s, 6), i + 1)
    return [None if s is None else first[round(s, 6)] for s in scores]
