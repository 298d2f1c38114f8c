"""The big screen's figures (大屏, docs/ANALYTICS.md): live counts, today's intake by hour against the same weekday's
average, top categories and sources today, open tasks for the map. One call, a fixed number of queries (each a
GROUP BY or an aggregate over the viewer's jurisdiction), cached briefly per scope (the jurisdiction's prefixes).
"""
import logging
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q
from django.db.models.functions import ExtractHour
from django.utils import timezone

from apps.accounts.jurisdiction import EVERYTHING
from apps.analytics import selectors
from apps.devices import selectors as device_selectors
from apps.dispatch.models import OPEN_STATUSES, Source, Status
from apps.gbcp.signals import screen_panels

logger = logging.getLogger(__name__)

WEEKS_BACK = 4  # "the same weekday's average": the same weekday of the four weeks before
MAP_TASKS = 300  # open tasks drawn on the map at first load (newest first); later ones arrive over the socket
UNIT_KINDS = ("officer_gps", "vehicle_gps")
UNIT_FRESH = timedelta(minutes=15)  # a unit counts as on duty when its position is younger than this
TOP = 8


def scope_key(user) -> str:
    found = selectors.prefixes(user)
    return "all" if found is EVERYTHING else ",".join(sorted(found))


def _day_start(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def screen(*, user, now=None) -> dict:
    """All figures of the screen for ``user``'s jurisdiction, from the cache when one was computed for the same scope
    in the last ANALYTICS_SCREEN_CACHE_S seconds."""
    key = f"analytics:screen:{scope_key(user)}"
    found = cache.get(key) if now is None else None
    if found is None:
        found = compute(user=user, now=now)
        if now is None:
            cache.set(key, found, getattr(settings, "ANALYTICS_SCREEN_CACHE_S", 30))
    return found


def compute(*, user, now=None) -> dict:
    now = now or timezone.now()
    today = timezone.localdate(now)
    start = _day_start(today)
    base = selectors.scoped_tasks(user=user)
    counts = base.aggregate(
        intake=Count("id", filter=Q(received_at__gte=start, received_at__lte=now)),
        open=Count("id", filter=Q(status__in=OPEN_STATUSES)),
        overdue=Count("id", filter=Q(status__in=OPEN_STATUSES, deadline__lt=now)),
        closed=Count("id", filter=Q(status=Status.CLOSED, closed_at__gte=start, closed_at__lte=now)),
    )
    tz = timezone.get_current_timezone()
    by_hour = [0] * 24
    for hour, n in (base.filter(received_at__gte=start, received_at__lte=now).annotate(h=ExtractHour("received_at", tzinfo=tz))
                    .values("h").annotate(n=Count("id")).values_list("h", "n")):
        by_hour[hour] = n
    earlier = Q(pk__in=[])
    for weeks in range(1, WEEKS_BACK + 1):
        day = _day_start(today - timedelta(weeks=weeks))
        earlier |= Q(received_at__gte=day, received_at__lt=day + timedelta(days=1))
    average = [0.0] * 24
    for hour, n in (base.filter(earlier).annotate(h=ExtractHour("received_at", tzinfo=tz))
                    .values("h").annotate(n=Count("id")).values_list("h", "n")):
        average[hour] = round(n / WEEKS_BACK, 2)
    today_qs = base.filter(received_at__gte=start, received_at__lte=now)
    categories = [{"name": name, "count": n} for name, n in (
        today_qs.filter(category__isnull=False).values("category__name").annotate(n=Count("id"))
        .order_by("-n", "category__name").values_list("category__name", "n")[:TOP])]
    labels = dict(Source.choices)
    sources = [{"source": s, "name": str(labels.get(s, s)), "count": n} for s, n in (
        today_qs.values("source").annotate(n=Count("id")).order_by("-n", "source").values_list("source", "n"))]
    units = device_selectors.unit_list_for_user(user=user, kinds=UNIT_KINDS).filter(position_at__gte=now - UNIT_FRESH).count()
    tasks = [{"id": pk, "number": number, "status": status, "category": category, "lat": point.y, "lon": point.x}
             for pk, number, status, category, point in (
                 base.filter(status__in=OPEN_STATUSES, point__isnull=False).order_by("-received_at")
                 .values_list("id", "number", "status", "category__name", "point")[:MAP_TASKS])]
    history_from = _day_start(today - timedelta(weeks=WEEKS_BACK))
    demo = base.filter(received_at__gte=history_from, external_ref__startswith=selectors.DEMO_REF).exists()
    return {
        "at": now.isoformat(), "day": today.isoformat(),
        "counts": {**counts, "units_on_duty": units},
        "by_hour": {"today": by_hour, "weekday_average": average, "weeks": WEEKS_BACK},
        "categories": categories, "sources": sources, "tasks": tasks, "demo": demo,
        "rankings": None,  # answered by evaluation through the ground-floor signal (panels below)
        "incidents": None,  # filled by the view from apps.emergency when that module exists
        **panels(user=user),
    }


def panels(*, user) -> dict:
    """The panels other apps of this floor fill (evaluation's rankings), asked through ``gbcp.signals.screen_panels``:
    analytics may not import them. A listener's dict is merged; a listener that fails leaves its panel empty."""
    found = {}
    for _receiver, answer in screen_panels.send_robust(sender=None, user=user):
        if isinstance(answer, dict):
            found.update(answer)
        elif isinstance(answer, Exception):
            logger.error("A big-screen panel failed", exc_info=answer)
    return found



def active_incidents(*, user) -> list | None:
    """The active incidents (突发事件) the viewer may see, from ``apps.emergency.selectors.active_incidents``; None when
    that app or selector is absent (the panel then says "none")."""
    try:
        from apps.emergency import selectors as emergency  # reason: optional app, may be absent (brief F)
    except ImportError:
        return None
    reader = getattr(emergency, "active_incidents", None)
    if reader is None:
        return None
    return [{"id": i.pk, "title": i.title, "region": i.region.name, "opened_at": i.opened_at.isoformat()}
            for i in reader(user=user).prefetch_related(None)[:20]]
