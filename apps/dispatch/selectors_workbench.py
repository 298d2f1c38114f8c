"""Reads of the staff workbench (the home page) and the queue's extra filters: what waits for the user's step,
the deadline warnings, today's intake and the intake charts, all within what apps.dispatch.selectors lets the user
see. Few cheap queries: counts in one aggregate with ``filter=``, one grouped query per chart."""
import datetime as dt

from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from apps.accounts.jurisdiction import staff_organization_ids
from apps.dispatch import overdue, selectors, selectors_ui
from apps.dispatch.models import Status

HANDLING = (Status.ACCEPTED, Status.IN_PROGRESS)
CHART_DAYS = 30
TOP_CATEGORIES = 10
EXPORT_LIMIT = 5000


def mine_q(user) -> Q:
    """The user's own tasks: those they are in charge of, or that their organisation handles."""
    return Q(owner=user) | Q(organization_id__in=staff_organization_ids(user))


def today_start(now=None):
    """Midnight of the local day (settings.TIME_ZONE) as an aware datetime."""
    now = timezone.localtime(now or timezone.now())
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


def day_bounds(day: dt.date):
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return start, start + dt.timedelta(days=1)


def queue_for_user(*, user, status=None, mine=False, day=None, **filters):
    """The intake queue (apps.dispatch.selectors_ui) with the workbench's filters: ``status`` one code or a list,
    ``mine`` the user's own tasks, ``day`` the tasks received that local day in any status."""
    if day is not None and not status:
        status = list(Status.values)  # a day's intake counts every task received, closed and merged ones too
    qs = selectors_ui.queue_for_user(user=user, status=status, **filters)
    if mine:
        qs = qs.filter(mine_q(user))
    if day is not None:
        start, end = day_bounds(day)
        qs = qs.filter(received_at__gte=start, received_at__lt=end)
    return qs


def _base(user):
    """The tasks the user may see, with no ordering, join or annotation (for counting and grouping)."""
    return selectors.task_list_for_user(user=user).order_by()


def waiting_counts_for_user(*, user, now=None) -> dict:
    """One query: tasks to dispatch and to verify (the jurisdiction's), the user's own tasks to accept and in hand,
    today's intake, and the red and yellow warnings (computed from the deadline now)."""
    now = now or timezone.now()
    mine = mine_q(user)
    return _base(user).aggregate(
        to_dispatch=Count("pk", filter=Q(status=Status.NEW)),
        to_verify=Count("pk", filter=Q(status=Status.FEEDBACK)),
        to_accept=Count("pk", filter=Q(status=Status.DISPATCHED) & mine),
        in_hand=Count("pk", filter=Q(status__in=HANDLING) & mine),
        today=Count("pk", filter=Q(received_at__gte=today_start(now))),
        red=Count("pk", filter=overdue.red_q(now)),
        yellow=Count("pk", filter=overdue.yellow_q(now)),
    )


def intake_by_day(*, user, days=CHART_DAYS, now=None) -> list[dict]:
    """Tasks received on each of the last ``days`` local days (today included), zeros filled in. One grouped query."""
    start = today_start(now) - dt.timedelta(days=days - 1)
    rows = (_base(user).filter(received_at__gte=start)
            .annotate(day=TruncDate("received_at", tzinfo=timezone.get_current_timezone()))
            .values("day").annotate(n=Count("pk")).order_by("day"))
    found = {row["day"]: row["n"] for row in rows}
    first = start.date()
    return [{"day": (first + dt.timedelta(days=i)).isoformat(), "count": found.get(first + dt.timedelta(days=i), 0)} for i in range(days)]


def intake_by_category(*, user, days=CHART_DAYS, limit=TOP_CATEGORIES, now=None) -> list[dict]:
    """The ``limit`` categories with most tasks received in the last ``days`` days. One grouped query."""
    start = today_start(now) - dt.timedelta(days=days - 1)
    rows = (_base(user).filter(received_at__gte=start, category__isnull=False)
            .values("category__code", "category__name").annotate(n=Count("pk")).order_by("-n", "category__code")[:limit])
    return [{"code": row["category__code"], "name": row["category__name"], "count": row["n"]} for row in rows]
