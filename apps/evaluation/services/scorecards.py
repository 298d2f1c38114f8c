"""Scorecards of a unit over a period (docs/EVALUATION.md): live from the tasks, or many at once from the rollup."""
import statistics
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

from apps.cases import selectors as case_selectors
from apps.dispatch import selectors as dispatch_selectors
from apps.evaluation import selectors
from apps.evaluation.figures import STATUS_NEW, Ratio, Tally, case_figures, staffing_match, task_figures, whistle_figures
from apps.evaluation.periods import Period, period_of

CHUNK = 5000


@dataclass
class Scorecard:
    unit: object
    period: Period
    tally: Tally
    officers: int
    staffing: Ratio
    cases: dict
    source: str  # "live" or "rollup"
    as_of: datetime
    median_accept_minutes: float | None = None
    figures: dict = field(default_factory=dict)

    def __post_init__(self):
        self.figures = {**task_figures(self.tally), **whistle_figures(self.tally), "staffing_match": self.staffing,
                        "legal_return_rate": self.cases["legal_return_rate"], "review_change_rate": self.cases["review_change_rate"],
                        "review_overturn_rate": self.cases["review_overturn_rate"]}

    def value(self, key):
        return self.figures[key].value

    def as_dict(self):
        return {
            "unit": {"id": self.unit.pk, "name": self.unit.name, "region_code": self.unit.region.code},
            "period": {"from": self.period.first.isoformat(), "to": self.period.last.isoformat()},
            "source": self.source, "as_of": self.as_of.isoformat(),
            "counts": {**self.tally.as_dict(), "unrated": self.tally.unrated, "officers": self.officers,
                       "cases_reviewed": self.cases["reviewed"], "review_returns": self.cases["review_returns"]},
            "figures": {key: ratio.as_dict() for key, ratio in self.figures.items()},
            "median_accept_minutes": self.median_accept_minutes,
        }


def tally_tasks(rows, tally: Tally, *, accept_minutes=None):
    """Count cohort rows (``dispatch.selectors.EVALUATION_TASK_FIELDS``) into ``tally``."""
    for _org, status, received_at, accepted_at, deadline, solved, rating, rerouted, reopened in rows:
        tally.add_task(status=status, received_at=received_at, accepted_at=accepted_at, deadline=deadline, solved=solved,
                       rating=rating, rerouted=rerouted, reopened=reopened)
        if accept_minutes is not None and status != STATUS_NEW and accepted_at is not None:
            accept_minutes.append((accepted_at - received_at).total_seconds() / 60)
    return tally


def tally_summonses(rows, tally: Tally, now):
    for _dept, due_at, reported_at, late_minutes in rows:
        tally.add_summons(due_at=due_at, reported_at=reported_at, late_minutes=late_minutes, now=now)
    return tally


def _case_part(rows):
    figures = case_figures(rows)
    return {**figures, "reviewed": len(rows)}


def _reached(ids, period) -> int:
    return dispatch_selectors.evaluation_tasks(organization_ids=ids, start=period.start, end=period.end).exclude(status=STATUS_NEW).count()


def _pair(basis, ids, parent_ids, parent_load):
    """(O_u, load of the parent, O_parent) for staffing_match: heads or officer-hours, as OfficerBasis.pair says."""
    own, parent = basis.pair(ids, parent_ids)
    return own, parent_load, parent


def scorecard_live(*, unit, period: Period) -> Scorecard:
    """One unit's scorecard computed from its tasks, summonses and cases (agrees with its drill-down lists)."""
    now = timezone.now()
    children = selectors.children_map()
    ids = selectors.descendants(unit.pk, children)
    minutes = []
    tally = tally_tasks(dispatch_selectors.evaluation_task_rows(organization_ids=ids, start=period.start, end=period.end).iterator(chunk_size=CHUNK),
                        Tally(), accept_minutes=minutes)
    tally_summonses(dispatch_selectors.evaluation_summons_rows(organization_ids=ids, start=period.start, end=period.end), tally, now)
    basis = selectors.officer_basis(period=period)
    own_officers = basis.headcount(ids)
    staffing = Ratio(0, 0)
    if unit.parent_id is not None:
        parent_ids = selectors.descendants(unit.parent_id, children)
        staffing = staffing_match(tally.reached, *_pair(basis, ids, parent_ids, _reached(parent_ids, period)))
    cases = _case_part(case_selectors.evaluation_case_quality_rows(organization_ids=ids, start=period.start, end=period.end))
    return Scorecard(unit=unit, period=period, tally=tally, officers=own_officers, staffing=staffing, cases=cases, source="live", as_of=now,
                     median_accept_minutes=round(statistics.median(minutes), 1) if minutes else None)


def scorecards_from_rollup(*, units, period: Period) -> list[Scorecard]:
    """Scorecards of many units at once from the daily rollup: one grouped query for the tasks and summonses, one for
    the officers, two for case quality; the rest is addition."""
    units = list(units)
    run = selectors.last_rollup_run()
    as_of = run.finished_at if run is not None else timezone.now()
    sums = selectors.rollup_sums(first=period.first, last=period.last)
    children = selectors.children_map()
    basis = selectors.officer_basis(period=period)
    case_rows = {}
    for row in case_selectors.evaluation_case_quality_rows(start=period.start, end=period.end):
        case_rows.setdefault(row["organization_id"], []).append(row)
    memo = {}

    def totals(unit_id):
        if unit_id not in memo:
            ids = selectors.descendants(unit_id, children)
            tally = Tally()
            for i in ids:
                if i in sums:
                    tally += sums[i]
            memo[unit_id] = (ids, tally, basis.headcount(ids))
        return memo[unit_id]

    cards = []
    for unit in units:
        ids, tally, own_officers = totals(unit.pk)
        staffing = Ratio(0, 0)
        if unit.parent_id is not None:
            p_ids, parent_tally, _heads = totals(unit.parent_id)
            staffing = staffing_match(tally.reached, *_pair(basis, ids, p_ids, parent_tally.reached))
        cases = _case_part([row for i in ids for row in case_rows.get(i, ())])
        cards.append(Scorecard(unit=unit, period=period, tally=Tally(**tally.as_dict()), officers=own_officers, staffing=staffing,
                               cases=cases, source="rollup", as_of=as_of))
    return cards


def unit_series(*, unit, period: Period, step="month", keys=("response_rate", "solution_rate", "satisfaction_rate")) -> list[dict]:
    """The unit's rates per day, week or month of the period (for the chart), from the rollup (one query)."""
    buckets = {}
    for day, tally in selectors.rollup_days(organization_ids=selectors.descendants(unit.pk), first=period.first, last=period.last):
        buckets.setdefault(period_of(step, day).first, Tally()).__iadd__(tally)
    points = []
    for first in sorted(buckets):
        figures = task_figures(buckets[first])
        points.append({"label": first.isoformat()[:7] if step == "month" else first.isoformat(), "received": buckets[first].received,
                       **{key: figures[key].value for key in keys}})
    return points
