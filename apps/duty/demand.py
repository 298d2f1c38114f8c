"""Duty against demand: peak cells (高峰勤务) and coverage, both over a squad's grids (docs/DUTY.md).

Demand is intake: tasks received in a grid, merged duplicates left out, read through the dispatch task selector of
the person asking (so the counts are exactly the tasks that person may see). Times are local (settings.TIME_ZONE).
"""
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.utils import timezone

from apps.dispatch import selectors as dispatch_selectors
from apps.dispatch.models import Status
from apps.duty.models import Post, ShiftAssignment

HOURS_OF_WEEK = 7 * 24


def intake_times(*, user, grid_ids, start, end):
    """(grid id, received_at) of the tasks received in [start, end) in the grids, as the user may see them."""
    qs = (dispatch_selectors.task_list_for_user(user=user).filter(grid_id__in=list(grid_ids), received_at__gte=start, received_at__lt=end)
          .exclude(status=Status.MERGED).order_by().values_list("grid_id", "received_at"))
    return list(qs.iterator(chunk_size=5000))


# --- peak cells ----------------------------------------------------------------------------------------

@dataclass
class PeakCell:
    grid: object
    weekday: int  # 0 = Monday
    hour: int
    count: int  # reports in this hour of the week over the whole window
    expected: float  # the grid's mean per hour of the week over the window
    p_value: float
    q_value: float  # Benjamini–Hochberg adjusted

    @property
    def per_week(self) -> float:
        return self.count / settings.DUTY_PEAK_WEEKS


def peak_cells(*, user, grids, now=None, weeks=None, fdr=None, min_count=None) -> list[PeakCell]:
    """Grid × hour-of-week cells where intake is significantly above the grid's own mean rate.

    For a grid with n reports over W weeks the mean per hour-of-week cell is λ = n / 168. A cell with count c gets
    p = P(X ≥ c), X ~ Poisson(λ) (scipy.stats.poisson.sf). The p-values of all cells of all grids tested (168 per grid)
    are adjusted together by Benjamini–Hochberg (scipy.stats.false_discovery_control); a cell is a peak when its
    adjusted q ≤ ``fdr`` and c ≥ ``min_count``. Strongest first."""
    now = now or timezone.now()
    weeks = weeks or settings.DUTY_PEAK_WEEKS
    fdr = settings.DUTY_PEAK_FDR if fdr is None else fdr
    min_count = settings.DUTY_PEAK_MIN_COUNT if min_count is None else min_count
    grids = list(grids)
    if not grids:
        return []
    index = {g.pk: i for i, g in enumerate(grids)}
    counts = np.zeros((len(grids), HOURS_OF_WEEK), dtype=np.int64)
    for grid_id, received_at in intake_times(user=user, grid_ids=index, start=now - dt.timedelta(weeks=weeks), end=now):
        local = timezone.localtime(received_at)
        counts[index[grid_id], local.weekday() * 24 + local.hour] += 1
    from scipy import stats  # scipy/statsmodels/esda load in about a second: imported where used, not at every process start

    lam = counts.sum(axis=1, keepdims=True) / HOURS_OF_WEEK
    lam_cells = np.broadcast_to(lam, counts.shape)
    p = np.where(counts > 0, stats.poisson.sf(counts - 1, np.where(lam_cells > 0, lam_cells, 1.0)), 1.0)
    q = stats.false_discovery_control(p.ravel(), method="bh").reshape(p.shape)
    found = []
    for gi, hw in zip(*np.nonzero((q <= fdr) & (counts >= min_count))):
        found.append(PeakCell(grid=grids[gi], weekday=int(hw // 24), hour=int(hw % 24), count=int(counts[gi, hw]),
                              expected=float(lam[gi, 0]), p_value=float(p[gi, hw]), q_value=float(q[gi, hw])))
    found.sort(key=lambda c: (c.q_value, -c.count, c.grid.code, c.weekday, c.hour))
    return found


# --- coverage -----------------------------------------------------------------------------------------

@dataclass
class CoverageRow:
    grid: object
    duty: list  # officer-hours on duty per hour of the day (0..23), summed over the days
    intake: list  # reports received per hour of the day, summed over the days

    @property
    def duty_total(self) -> float:
        return sum(self.duty)

    @property
    def intake_total(self) -> int:
        return sum(self.intake)

    def cells(self):
        return list(zip(range(24), self.duty, self.intake))


def _grid_shares(assignment, grids, squad_grid_ids) -> dict[int, float]:
    """How an officer's hour on duty is shared among the squad's grids: the post's grid; else the grids the post's area
    meets, evenly; without a post (or a post outside every grid) the squad's grids, evenly."""
    post = assignment.post
    if post is not None and post.kind == Post.Kind.GRID and post.grid_id in squad_grid_ids:
        return {post.grid_id: 1.0}
    if post is not None:
        shape = post.geometry()
        met = [g.pk for g in grids if shape is not None and g.boundary.intersects(shape)]
        if met:
            return {pk: 1.0 / len(met) for pk in met}
    return {pk: 1.0 / len(grids) for pk in squad_grid_ids} if grids else {}


def _hour_slices(starts_at, ends_at, start, end):
    """(local hour of the day, hours) of [starts_at, ends_at) clipped to [start, end), cut at each full local hour."""
    at, stop = max(starts_at, start), min(ends_at, end)
    while at < stop:
        local = timezone.localtime(at)
        next_hour = local.replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1)
        upto = min(next_hour, stop)
        yield local.hour, (upto - at).total_seconds() / 3600
        at = upto


def coverage(*, user, squad, grids, start, end) -> list[CoverageRow]:
    """Per grid of the squad and hour of the day over [start, end): officer-hours on duty (the squad's shifts, shared out
    by post) against intake (reports received)."""
    grids = list(grids)
    rows = {g.pk: CoverageRow(grid=g, duty=[0.0] * 24, intake=[0] * 24) for g in grids}
    for grid_id, received_at in intake_times(user=user, grid_ids=rows, start=start, end=end):
        rows[grid_id].intake[timezone.localtime(received_at).hour] += 1
    assignments = (ShiftAssignment.objects.filter(shift__squad=squad, shift__starts_at__lt=end, shift__ends_at__gt=start)
                   .select_related("shift", "post__grid").order_by("shift__starts_at", "pk"))
    grid_ids = set(rows)
    shares = defaultdict(float)
    for a in assignments:
        split = _grid_shares(a, grids, grid_ids)
        for hour, hours in _hour_slices(a.shift.starts_at, a.shift.ends_at, start, end):
            for grid_id, share in split.items():
                shares[grid_id, hour] += hours * share
    for (grid_id, hour), value in shares.items():
        rows[grid_id].duty[hour] = round(value, 2)
    return [rows[g.pk] for g in grids]


def coverage_by_hour(rows) -> list[dict]:
    """The squad's totals per hour of the day (the chart): officer-hours, reports, reports per officer-hour."""
    out = []
    for hour in range(24):
        duty = round(sum(r.duty[hour] for r in rows), 2)
        intake = sum(r.intake[hour] for r in rows)
        out.append({"hour": hour, "duty_hours": duty, "intake": intake, "intake_per_duty_hour": round(intake / duty, 3) if duty else None})
    return out
