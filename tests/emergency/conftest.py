"""Fixtures of the emergency suite: 东城区 with a squad of 东华门 and its fresh people, a 暴雨 pre-plan, CAP documents."""
from pathlib import Path

import pytest
from django.utils import translation

from apps.accounts.models import Role
from apps.emergency import services
from apps.emergency.models import EventType
from apps.gbcp.models import Grid, Region
from tests.personas import user_with

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def cap_document(name: str) -> bytes:
    return (FIXTURES / f"{name}.xml").read_bytes()


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def district(db):
    return Region.objects.get(code="110101")


@pytest.fixture
def grid(db):
    return Grid.objects.filter(region__code__startswith="110101001", squad__isnull=False).select_related("squad__region").order_by("code").first()


@pytest.fixture
def squad(grid):
    return grid.squad


@pytest.fixture
def leader(district, squad):
    """A leader (负责人) of the 东城 squad: jurisdiction 东华门 street, inside the district."""
    return user_with(role=Role.LEADER, organization=squad, name="emerg-leader")


@pytest.fixture
def squad_officers(squad):
    return [user_with(role=Role.OFFICER, organization=squad, name="emerg-officer") for _ in range(2)]


@pytest.fixture
def category(squad):
    return squad.duties.filter(deadline_unit__gt="").order_by("code").first()


@pytest.fixture
def plan(leader, squad, grid, category):
    return services.plan_publish(
        user=leader, region=squad.region, event_type=EventType.RAINSTORM, title="东华门暴雨防汛预案",
        steps=[{"squad": squad, "action": "下凹式立交桥积水点值守", "area_grid": grid, "resources": "执法车1辆、警戒带",
                "duration_minutes": 240, "category": category}],
    )
