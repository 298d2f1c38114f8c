"""A small history in 东城 (110101), written through apps.dispatch.services.history (the import path)."""
import datetime as dt
import itertools

import pytest
from django.utils import timezone

from apps.dispatch.services.history import HistoryRow, history_import
from apps.gbcp.models import Category, Grid, Organization

_batch = itertools.count(1)


def at(y, m, d, h=10, minute=0):
    return timezone.make_aware(dt.datetime(y, m, d, h, minute))


@pytest.fixture
def dc_bureau(db):
    return Organization.objects.get(name="东城区城市管理综合行政执法局")


@pytest.fixture
def dc_grids(db):
    return list(Grid.objects.filter(region__code__startswith="110101").order_by("code"))


@pytest.fixture
def categories(db):
    return list(Category.objects.filter(is_active=True).exclude(deadline_unit="").order_by("code")[:3])


@pytest.fixture
def write_history(db):
    """write_history([(moment, grid, category, source), …]) → number of tasks created (points on the grids' surfaces)."""
    def write(items, prefix=None):
        rows = []
        for n, (moment, grid, category, source) in enumerate(items, start=2):
            point = grid.boundary.point_on_surface
            rows.append(HistoryRow(number=n, time=timezone.localtime(moment).replace(tzinfo=None).isoformat(), lon=point.x, lat=point.y,
                                   category=category.code, source=source))
        return history_import(user=None, rows=rows, ref_prefix=prefix or f"t{next(_batch)}-")
    return write
