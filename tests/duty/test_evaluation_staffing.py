"""匹配度 reads duty: headcounts while no squad under the parent has a roster in the period, officer-hours once one has
(docs/EVALUATION.md §2); the scorecards from the rollup agree with the live one."""
import datetime as dt
import uuid

import pytest

from apps.accounts.models import Membership, Role
from apps.duty import services as duty_services
from apps.evaluation import services
from apps.evaluation.periods import Period
from apps.evaluation.services.rollup import rebuild_range
from apps.gbcp.models import Organization, Region
from tests.duty.conftest import MONDAY, at
from tests.personas import user_with

WEEK = Period(MONDAY, MONDAY + dt.timedelta(days=6))
pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    from apps.dispatch.models import Status, Task

    tag = uuid.uuid4().hex[:6]
    district, street = Region.objects.get(code="110101"), Region.objects.get(code="110101001")
    bureau = Organization.objects.create(name=f"勤务测试局{tag}", kind=Organization.Kind.ENFORCEMENT_TEAM, level=Organization.Level.DISTRICT,
                                         region=district)
    a, b = (Organization.objects.create(name=f"勤务测试{x}队{tag}", kind=Organization.Kind.ENFORCEMENT_TEAM, level=Organization.Level.STREET,
                                        region=street, parent=bureau) for x in "AB")
    people = {}
    for org in (a, b):
        people[org.pk] = user_with(name="st-officer")
        Membership.objects.create(user=people[org.pk], organization=org, role=Role.OFFICER)
    leader = user_with(role=Role.SQUAD_LEADER, organization=a, name="st-leader")
    for org in (a, b):
        for day in range(4):
            Task.objects.create(number=f"ST{uuid.uuid4().hex[:10].upper()}", tracking_code=uuid.uuid4().hex[:12].upper(), source="hotline",
                                description="匹配度测试", region_code="110101001", organization=org, status=Status.DISPATCHED,
                                received_at=at(MONDAY + dt.timedelta(days=day), 10))
    return bureau, a, b, people, leader


def test_without_rosters_the_match_compares_heads(tree):
    bureau, a, b, people, leader = tree
    card = services.scorecard_live(unit=a, period=WEEK)
    # k_A = 4 / 2 heads (officer and squad leader), k_bureau = 8 / 3 heads.
    assert card.officers == 2
    assert card.figures["staffing_match"].value == pytest.approx((4 / 2) / (8 / 3))


def test_with_a_roster_the_match_compares_officer_hours_on_duty(tree):
    bureau, a, b, people, leader = tree
    roster = duty_services.roster_ensure(user=leader, squad=a, week_start=MONDAY)
    for day in range(3):
        shift = duty_services.shift_create(user=leader, roster=roster, date=MONDAY + dt.timedelta(days=day), start_time=dt.time(8),
                                           end_time=dt.time(16))
        duty_services.assignment_add(user=leader, shift=shift, officer=people[a.pk])
    # A: 24 rostered officer-hours (the squad leader stood no shift: the roster says who was on duty).
    # B has no roster: 1 member × 7 days × 40/7 h = 40 h. The bureau: 24 + 40 = 64 h.
    k_a, k_ref = 4 / 24, 8 / 64
    card = services.scorecard_live(unit=a, period=WEEK)
    assert card.officers == 2  # the headcount shown beside it is unchanged
    assert card.figures["staffing_match"].value == pytest.approx(k_ref / k_a)
    card_b = services.scorecard_live(unit=b, period=WEEK)
    assert card_b.figures["staffing_match"].value == pytest.approx((4 / 40) / k_ref)
    rebuild_range(WEEK.first, WEEK.last)
    cards = {c.unit.pk: c for c in services.scorecards_from_rollup(units=[a, b], period=WEEK)}
    assert cards[a.pk].figures["staffing_match"].value == pytest.approx(k_ref / k_a)
    assert cards[b.pk].figures["staffing_match"].value == pytest.approx((4 / 40) / k_ref)
