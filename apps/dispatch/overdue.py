"""A task's deadline state computed from its deadline at read time: "red" (overdue), "yellow" (four fifths of the
time used, ``settings.DISPATCH_YELLOW_FRACTION``) or "" (on time, closed, or no deadline).

Pages, the API and the admin read this state; nothing reads ``Task.alert`` to decide what is overdue. ``Task.alert``
only remembers which warning the deadline sweep has already sent (apps.dispatch.services.deadlines), so a sweep
that did not run (no beat in the embedded default) delays a notification, never what a page shows.
"""
import datetime as dt

from django.conf import settings
from django.db.models import Case, CharField, F, FloatField, Func, Q, Value, When
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone

from apps.dispatch.models import OPEN_STATUSES, Task

RED = Task.Alert.RED
YELLOW = Task.Alert.YELLOW


class EpochSeconds(Func):
    """Seconds since 1970-01-01 UTC of a datetime column, as a float, on PostgreSQL and SQLite alike."""

    output_field = FloatField()
    template = "CAST(EXTRACT(EPOCH FROM %(expressions)s) AS double precision)"

    def as_sqlite(self, compiler, connection, **extra_context):
        # Django keeps datetimes in SQLite as UTC text; julianday() reads it with its fractional seconds.
        return self.as_sql(compiler, connection, template="((julianday(%(expressions)s) - 2440587.5) * 86400.0)", **extra_context)


def _yellow_from():
    """When the task turns yellow: received + fraction × (deadline − received), in epoch seconds."""
    fraction = float(settings.DISPATCH_YELLOW_FRACTION)
    return EpochSeconds(F("received_at")) * Value(1.0 - fraction) + EpochSeconds(F("deadline")) * Value(fraction)


def _open_with_deadline() -> Q:
    return Q(status__in=OPEN_STATUSES, deadline__isnull=False)


def red_q(now) -> Q:
    """Open and past the deadline (index-friendly: status and deadline are indexed)."""
    return _open_with_deadline() & Q(deadline__lte=now)


def yellow_q(now) -> Q:
    """Open, not yet overdue, but four fifths of the time used."""
    return _open_with_deadline() & Q(deadline__gt=now) & Q(LessThanOrEqual(_yellow_from(), Value(now.timestamp())))


def deadline_state(now=None):
    """The annotation: ``qs.annotate(deadline_state=deadline_state())``."""
    now = now or timezone.now()
    return Case(
        When(red_q(now), then=Value(RED)),
        When(yellow_q(now), then=Value(YELLOW)),
        default=Value(""), output_field=CharField(),
    )


def filter_state(qs, state, now=None):
    """Tasks in one deadline state ("red", "yellow", or "any" for both); another value filters nothing out."""
    now = now or timezone.now()
    if state == RED:
        return qs.filter(red_q(now))
    if state == YELLOW:
        return qs.filter(yellow_q(now))
    if state == "any":
        return qs.filter(red_q(now) | yellow_q(now))
    return qs


def state_of(task, now=None) -> str:
    """The same rule for one task in Python (for an object that did not come through the annotation)."""
    if task.status not in OPEN_STATUSES or task.deadline is None:
        return ""
    now = now or timezone.now()
    if now >= task.deadline:
        return RED
    fraction = float(settings.DISPATCH_YELLOW_FRACTION)
    yellow_at = task.received_at + dt.timedelta(seconds=(task.deadline - task.received_at).total_seconds() * fraction)
    return YELLOW if now >= yellow_at else ""
