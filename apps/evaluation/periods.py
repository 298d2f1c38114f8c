"""Periods of whole local days: a day, an ISO week, a month, a quarter or any range (docs/EVALUATION.md §1)."""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.gbcp.errors import ApplicationError

KINDS = ("day", "week", "month", "quarter", "range")
MAX_DAYS = 3 * 366


@dataclass(frozen=True)
class Period:
    first: date   # first day, included
    last: date    # last day, included
    kind: str = "range"

    @property
    def start(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.first, time.min))

    @property
    def end(self) -> datetime:
        """The instant after the period (exclusive bound)."""
        return timezone.make_aware(datetime.combine(self.last + timedelta(days=1), time.min))

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def label(self) -> str:
        if self.first == self.last:
            return self.first.isoformat()
        return f"{self.first.isoformat()} – {self.last.isoformat()}"

    def query(self) -> str:
        return f"from={self.first.isoformat()}&to={self.last.isoformat()}"


def _bad(message):
    return ApplicationError(message, code="invalid_period", details={"period": [message]})


def period_of(kind: str, anchor: date) -> Period:
    """The day, ISO week, month or quarter holding ``anchor``."""
    if kind == "day":
        return Period(anchor, anchor, kind)
    if kind == "week":
        first = anchor - timedelta(days=anchor.weekday())
        return Period(first, first + timedelta(days=6), kind)
    if kind == "month":
        first = anchor.replace(day=1)
        nxt = (first + timedelta(days=32)).replace(day=1)
        return Period(first, nxt - timedelta(days=1), kind)
    if kind == "quarter":
        month = 3 * ((anchor.month - 1) // 3) + 1
        first = anchor.replace(month=month, day=1)
        nxt = date(first.year + (1 if month == 10 else 0), 1 if month == 10 else month + 3, 1)
        return Period(first, nxt - timedelta(days=1), kind)
    raise _bad(_("Unknown period kind."))


EARLIEST, LATEST = date(1990, 1, 1), date(2100, 12, 31)


def _date(value, name):
    try:
        day = date.fromisoformat(value)
    except (TypeError, ValueError):
        raise _bad(_("%(name)s is not a date (YYYY-MM-DD).") % {"name": name}) from None
    if not EARLIEST <= day <= LATEST:
        raise _bad(_("%(name)s is not a date (YYYY-MM-DD).") % {"name": name})
    return day


def parse_period(params, *, default_kind="month") -> Period:
    """From query parameters: ``from`` and ``to`` (a range), else ``period`` (kind) with ``at`` (a day in it, today by default)."""
    first, last = params.get("from"), params.get("to")
    if first or last:
        period = Period(_date(first, "from"), _date(last or first, "to"))
        if period.last < period.first:
            raise _bad(_("The period ends before it starts."))
        if period.days > MAX_DAYS:
            raise _bad(_("A period is at most three years."))
        return period
    kind = params.get("period") or default_kind
    if kind not in KINDS or kind == "range":
        raise _bad(_("Unknown period kind."))
    anchor = _date(params["at"], "at") if params.get("at") else timezone.localdate()
    return period_of(kind, anchor)


def days_of(period: Period):
    day = period.first
    while day <= period.last:
        yield day
        day += timedelta(days=1)
