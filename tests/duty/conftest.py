"""Fixtures of the duty suite: a squad of 东华门 with its own fresh leader and officers (not the demo's), a week, tasks."""
import datetime as dt
import itertools
import uuid

import pytest
from django.utils import timezone
from django.utils import translation

from apps.accounts.models import Role
from apps.dispatch.models import Status, Task
from apps.gbcp.models import Grid
from tests.personas import user_with

_n = itertools.count(1)
MONDAY = dt.date(2026, 3, 2)  # an ISO week: Monday 2 to Sunday 8 March 2026


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def grid(db):
    return Grid.objects.filter(region__code__startswith="110101001", squad__isnull=False).select_related("squad__region", "region").order_by("code").first()


@pytest.fixture
def squad(grid):
    return grid.squad


@pytest.fixture
def other_squad(db):
    """A squad of 海淀区: another district."""
    return Grid.objects.filter(region__code__startswith="110108", squad__isnull=False).select_related("squad__region").order_by("code").first().squad


@pytest.fixture
def leader(squad):
    return user_with(role=Role.SQUAD_LEADER, organization=squad, name="duty-leader")


@pytest.fixture
def officers(squad):
    return [user_with(role=Role.OFFICER, organization=squad, name="duty-officer") for _ in range(3)]


def at(day: dt.date, hour: int, minute: int = 0):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def make_task(grid, received_at, *, status=Status.DISPATCHED):
    return Task.objects.create(
        number=f"DU{uuid.uuid4().hex[:10].upper()}", tracking_code=uuid.uuid4().hex[:12].upper(), source="hotline",
        description=f"勤务测试任务 {next(_n)}", region_code=grid.region.code, grid=grid, organization=grid.squad, status=status,
        received_at=received_at)
