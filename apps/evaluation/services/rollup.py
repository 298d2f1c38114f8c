"""The daily rollup (docs/EVALUATION.md §7): counts per organisation and local day, rebuilt by range or by change."""
from collections import defaultdict
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from apps.dispatch import selectors as dispatch_selectors
from apps.evaluation.figures import Tally
from apps.evaluation.models import DailyRollup, RollupRun
from apps.evaluation.periods import Period

CHUNK_DAYS = 7
STREAM = 10000
SUMMONS_TAIL_DAYS = 3  # a summons turns from waiting to missing by the clock: its last days are always rebuilt
FIRST_REFRESH_DAYS = 120


def _compute(period: Period, now) -> dict[tuple[int, date], Tally]:
    tallies = defaultdict(Tally)
    localdate = timezone.localdate
    rows = dispatch_selectors.evaluation_task_rows(start=period.start, end=period.end).iterator(chunk_size=STREAM)
    for org, status, received_at, accepted_at, deadline, solved, rating, rerouted, reopened in rows:
        tallies[(org, localdate(received_at))].add_task(status=status, received_at=received_at, accepted_at=accepted_at, deadline=deadline,
                                                        solved=solved, rating=rating, rerouted=rerouted, reopened=reopened)
    for dept, due_at, reported_at, late_minutes in dispatch_selectors.evaluation_summons_rows(start=period.start, end=period.end):
        tallies[(dept, localdate(due_at))].add_summons(due_at=due_at, reported_at=reported_at, late_minutes=late_minutes, now=now)
    return tallies


def _rebuild(period: Period, now) -> int:
    tallies = _compute(period, now)
    rows = [DailyRollup(organization_id=org, day=day, computed_at=now, **tally.as_dict()) for (org, day), tally in tallies.items()]
    with transaction.atomic():
        DailyRollup.objects.filter(day__gte=period.first, day__lte=period.last).delete()
        DailyRollup.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _runs(days):
    """Consecutive days grouped into periods of at most CHUNK_DAYS."""
    days = sorted(set(days))
    runs, start, prev = [], None, None
    for day in days:
        if start is None:
            start = prev = day
        elif day == prev + timedelta(days=1) and (day - start).days < CHUNK_DAYS:
            prev = day
        else:
            runs.append(Period(start, prev))
            start = prev = day
    if start is not None:
        runs.append(Period(start, prev))
    return runs


def rebuild_days(days, *, trigger: str, progress=None) -> RollupRun:
    """Rebuild the rollup rows of ``days`` (any set of dates); ``progress(period, rows)`` after each chunk."""
    started = timezone.now()
    run = RollupRun.objects.create(started_at=started, trigger=trigger)
    total, count = 0, 0
    for part in _runs(days):
        written = _rebuild(part, timezone.now())
        total += written
        count += part.days
        if progress is not None:
            progress(part, written)
    days = sorted(set(days))
    run.first_day, run.last_day = (days[0], days[-1]) if days else (None, None)
    run.days, run.rows, run.finished_at = count, total, timezone.now()
    run.save()
    return run


def rebuild_range(first: date, last: date, *, progress=None) -> RollupRun:
    """``manage.py evaluation_rollup --from --to``: every day of the range."""
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    return rebuild_days(days, trigger="command", progress=progress)


def refresh_rollup() -> RollupRun:
    """Beat: rebuild the days whose figures may have moved since the last run started (§7)."""
    last = RollupRun.objects.filter(finished_at__isnull=False).order_by("-started_at").first()
    today = timezone.localdate()
    tail = {today - timedelta(days=i) for i in range(SUMMONS_TAIL_DAYS)}
    if last is None:
        return rebuild_days(tail | {today - timedelta(days=i) for i in range(FIRST_REFRESH_DAYS)}, trigger="beat")
    changed = {timezone.localdate(at) for at in dispatch_selectors.evaluation_changed_times(since=last.started_at)}
    return rebuild_days(changed | tail, trigger="beat")
