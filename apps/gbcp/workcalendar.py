"""Deadlines on the working calendar: emergency hours, working hours and working days.

Weekends are rest days unless the calendar says a day is a make-up workday
(调休上班); holidays are rest days even on a weekday. Working hours are
counted only inside the office hours of ``settings.WORKING_HOURS``.

A year whose official schedule is not loaded (``CalendarYear`` not published) is counted by the
weekday rule and the days entered so far, and every deadline reaching into it is provisional
(``provisional_years``): never silently treated as certain.
"""
import datetime as dt
from functools import lru_cache

from django.apps import apps as django_apps
from django.conf import settings
from django.utils import timezone

EMERGENCY_HOURS = "emergency_hours"
WORKING_HOURS = "working_hours"
WORKING_DAYS = "working_days"
UNITS = (EMERGENCY_HOURS, WORKING_HOURS, WORKING_DAYS)


class Calendar:
    """A working calendar loaded once per call from the CalendarDay table."""

    def __init__(self, overrides: dict[dt.date, bool] | None = None, published_years=None):
        # The tables are read by name from the app registry: gbcp.models imports this module (units, arithmetic).
        if overrides is None:
            overrides = dict(django_apps.get_model("gbcp", "CalendarDay").objects.values_list("date", "is_workday"))
        if published_years is None:
            years = django_apps.get_model("gbcp", "CalendarYear").objects.filter(status="published")
            published_years = set(years.values_list("year", flat=True))
        self.overrides = overrides
        self.published_years = set(published_years)

    def provisional_years(self, start, end) -> list[int]:
        """The years from ``start`` to ``end`` (dates or datetimes) whose official schedule is not known."""
        return [year for year in range(start.year, end.year + 1) if year not in self.published_years]

    def is_workday(self, day: dt.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        return day.weekday() < 5

    def next_workday(self, day: dt.date) -> dt.date:
        day += dt.timedelta(days=1)
        while not self.is_workday(day):
            day += dt.timedelta(days=1)
        return day


@lru_cache(maxsize=1)
def _office_intervals():
    def parse(s):
        h, m = s.split(":")
        return dt.time(int(h), int(m))

    return [(parse(a), parse(b)) for a, b in settings.WORKING_HOURS]


def add_deadline(start: dt.datetime, amount, unit: str, *, calendar: Calendar | None = None) -> dt.datetime:
    """The moment a deadline of ``amount`` ``unit`` from ``start`` falls due (aware datetime)."""
    if unit not in UNITS:
        raise ValueError(f"unknown deadline unit {unit!r}")
    if amount < 0:
        raise ValueError("a deadline cannot be negative")
    if timezone.is_naive(start):
        start = timezone.make_aware(start)
    tz = timezone.get_current_timezone()
    local = timezone.localtime(start, tz)
    if unit == EMERGENCY_HOURS:
        return start + dt.timedelta(hours=float(amount))
    calendar = calendar or Calendar()
    intervals = _office_intervals()
    if unit == WORKING_DAYS:
        # N working days counts from the next working day and ends when its office closes.
        day = local.date()
        for _ in range(int(amount)):
            day = calendar.next_workday(day)
        if int(amount) == 0:
            day = day if calendar.is_workday(day) else calendar.next_workday(day)
        return timezone.make_aware(dt.datetime.combine(day, intervals[-1][1]), tz)
    # Working hours: walk the office intervals from the start.
    remaining = dt.timedelta(hours=float(amount))
    day = local.date()
    cursor = local.replace(tzinfo=None)
    while True:
        if calendar.is_workday(day):
            for open_t, close_t in intervals:
                opens = dt.datetime.combine(day, open_t)
                closes = dt.datetime.combine(day, close_t)
                begin = max(opens, cursor)
                if begin >= closes:
                    continue
                available = closes - begin
                if remaining <= available:
                    return timezone.make_aware(begin + remaining, tz)
                remaining -= available
        day = day + dt.timedelta(days=1)
        cursor = dt.datetime.combine(day, dt.time.min)


def provisional_years(start: dt.datetime, due: dt.datetime, unit: str = WORKING_DAYS, *, calendar: Calendar | None = None) -> list[int]:
    """The years without a published schedule that a deadline from ``start`` to ``due`` runs through.

    Empty for clock-hour (emergency) deadlines, which no holiday moves, and when every year is known.
    """
    if unit == EMERGENCY_HOURS or start is None or due is None:
        return []
    calendar = calendar or Calendar()
    return calendar.provisional_years(_local(start), _local(due))


def _local(moment):
    return timezone.localtime(moment) if isinstance(moment, dt.datetime) and timezone.is_aware(moment) else moment
