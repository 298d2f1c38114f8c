"""Deadlines on the working calendar: emergency hours, working hours and working days.

Weekends are rest days unless the calendar says a day is a make-up workday
(调休上班); holidays are rest days even on a weekday. Working hours are
counted only inside the office hours of ``settings.WORKING_HOURS``.
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

    def __init__(self, overrides: dict[dt.date, bool] | None = None):
        if overrides is None:
            # By name from the app registry: gbcp.models imports this module (units, deadline arithmetic).
            calendar_days = django_apps.get_model("gbcp", "CalendarDay").objects.values_list("date", "is_workday")
            overrides = dict(calendar_days)
        self.overrides = overrides

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
