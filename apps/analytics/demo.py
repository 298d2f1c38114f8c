"""Demo of analytics: a generated history of closed tasks (演示数据为生成数据), so that the analysis page has something
to analyse. Written through apps.dispatch.services.history, the same path as a real import; every task carries the
external reference ``demo-hist-<n>``, which is how the page knows to say that its data are generated.

Shape of the generated history: a weekly rhythm (busier on workdays, peaks at 10:00 and 19:00, quieter on holidays),
a few grids with three times the rate of the rest (hot spots to find), and one category whose rate doubles over the
last four weeks (a growing problem to find). The test city (``seed_demo --places`` under 500) gets none, so other
apps' tests never meet these rows.
"""
import datetime as dt
import math

from django.conf import settings
from django.contrib.gis.geos import Point
from django.utils import timezone

from apps.dispatch import selectors as dispatch_selectors
from apps.dispatch.models import Task
from apps.dispatch.services.history import HistoryRow, history_import
from apps.gbcp.models import CalendarDay, Grid

REF = "demo-hist-"
PER_DAY = 12  # mean reports a workday across the demo city (the import locates each row: ~20–80 ms a row)
HOURS = [0.2, 0.1, 0.1, 0.1, 0.2, 0.4, 0.8, 1.4, 2.0, 2.6, 3.0, 2.6, 2.0, 1.8, 2.0, 2.2, 2.2, 2.4, 2.8, 3.0, 2.4, 1.6, 0.9, 0.4]
SOURCES = [("hotline", 6), ("citizen", 2), ("patrol", 2)]


def _point_in(grid, rng):
    x0, y0, x1, y1 = grid.boundary.extent
    for _attempt in range(50):
        point = Point(rng.uniform(x0, x1), rng.uniform(y0, y1), srid=4326)
        if grid.boundary.contains(point):
            return point
    return grid.boundary.point_on_surface


def _weighted(rng, pairs):
    return rng.choices([p for p, _w in pairs], weights=[w for _p, w in pairs])[0]


def generate_rows(ctx, days: int) -> list[HistoryRow]:
    rng = ctx.rng
    grids = list(Grid.objects.order_by("code"))
    categories = list(dispatch_selectors.leaf_categories(public_only=True)[:12])
    if not grids or not categories:
        return []
    hot = set(rng.sample(range(len(grids)), k=max(1, len(grids) // 25)))
    grid_weights = [(g, 3.0 if i in hot else 1.0) for i, g in enumerate(grids)]
    growing = categories[0]
    off = {d: work for d, work in CalendarDay.objects.values_list("date", "is_workday")}
    today = timezone.localdate()
    rows, number = [], 0
    for back in range(days, 0, -1):
        day = today - dt.timedelta(days=back)
        workday = off.get(day, day.weekday() < 5)
        mean = PER_DAY * (1.0 if workday else 0.6) * (0.5 if off.get(day) is False else 1.0)
        for _r in range(int(rng.gauss(mean, math.sqrt(mean))) if mean > 0 else 0):
            category = growing if back <= 28 and rng.random() < 0.12 else rng.choice(categories)
            hour = rng.choices(range(24), weights=HOURS)[0]
            moment = dt.datetime.combine(day, dt.time(hour, rng.randrange(60)))
            point = _point_in(_weighted(rng, grid_weights), rng)
            number += 1
            rows.append(HistoryRow(number=number, time=moment, lon=point.x, lat=point.y, category=category.code,
                                   source=_weighted(rng, SOURCES), description=f"演示历史数据 {category.name}"))
    return rows


def seed(ctx):
    days = settings.ANALYTICS_DEMO_HISTORY_DAYS
    if days <= 0 or ctx.places < 500 or Task.objects.filter(external_ref__startswith=REF).exists():
        return
    ctx.say(f"Analytics: generated history of {days} days (演示数据)")
    rows = generate_rows(ctx, days)
    if rows:
        ctx.say(f"  historical tasks: {history_import(user=None, rows=rows, ref_prefix=REF)}")
