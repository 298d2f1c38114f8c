"""A small world counted by hand (docs/EVALUATION.md): a test bureau with squads A, B, C and a department, in 东城.

March 2026 (Asia/Shanghai), squad A — the figures the tests expect are worked out in test_figures.py:

    t1  03-02 10:00  closed, solved, accepted 10:30, deadline 14:00 (r = 0.875), satisfied
    t2  03-05 09:00  closed, not solved, accepted after the deadline (r = 0), dissatisfied, returned once, reopened by t10
    t3  03-10 09:00  dispatched, not accepted
    t4  03-12 09:00  new (back with the dispatcher)
    t5  03-31 23:50  closed, solved, accepted 04-01 00:20, deadline +2 h (r = 0.75), unrated: crosses the month's end
    t6  04-01 00:10  April: not in March
    t7  02-28 23:59  February: not in March
    t8  03-02 10:05  merged into t1: in no figure
    t9  03-15 09:00  referred from squad B to A, closed, solved, accepted 15:00, deadline next day 09:00 (r = 0.75), basic
    t10 03-20 09:00  the redo (重办) of t2: dispatched
Squad B: nothing (t9 was B's before the referral). Squad C: c1 03-08 closed, solved, unrated, no deadline.
"""
import datetime as dt
import itertools
import uuid

import pytest
from django.utils import timezone

from apps.accounts.models import Membership, Role
from apps.cases.models import Case, CaseLog
from apps.dispatch.models import Status, Task, TaskLog, TaskRating, Whistle, WhistleSummons
from apps.gbcp.models import Organization, Region
from tests.personas import user_with

_n = itertools.count(1)


def at(month, day, hour=9, minute=0, year=2026):
    return timezone.make_aware(dt.datetime(year, month, day, hour, minute))


def make_task(org, received_at, *, status=Status.DISPATCHED, accepted_at=None, deadline=None, solved=None, rating=None,
              rerouted=None, master=None, reopened_from=None, region_code="110101001"):
    n = next(_n)
    task = Task.objects.create(
        number=f"EV{uuid.uuid4().hex[:10].upper()}", tracking_code=uuid.uuid4().hex[:12].upper(), source="hotline",
        description=f"评价测试任务 {n}", region_code=region_code, organization=org, status=status, received_at=received_at,
        accepted_at=accepted_at, deadline=deadline, solved=solved, master=master, reopened_from=reopened_from,
        closed_at=(accepted_at or received_at) + dt.timedelta(hours=1) if status == Status.CLOSED else None,
    )
    if rating:
        TaskRating.objects.create(task=task, level=rating, channel=TaskRating.Channel.HOTLINE, rated_at=task.closed_at or received_at)
    if rerouted:
        TaskLog.record(task, rerouted, None, reason="不属于本队")
    return task


def make_case(org, reviews, *, region_code="110101001"):
    """A case with log entries (action, when) written at those times."""
    n = next(_n)
    case = Case.objects.create(number=f"EVCASE{uuid.uuid4().hex[:8]}", number_seq=n, year=2026, source="patrol", status="investigating",
                               region_code=region_code, organization=org, opened_at=at(2, 1))
    for action, when in reviews:
        entry = CaseLog.record(case, action, None)
        CaseLog.objects.filter(pk=entry.pk).update(at=when)
    return case


class World:
    pass


@pytest.fixture
def world(db):
    w = World()
    district = Region.objects.get(code="110101")
    street = Region.objects.filter(code__startswith="110101", level=3).order_by("code").first()
    tag = uuid.uuid4().hex[:6]
    w.bureau = Organization.objects.create(name=f"评价测试局{tag}", kind=Organization.Kind.ENFORCEMENT_TEAM, level=Organization.Level.DISTRICT, region=district)
    w.a, w.b, w.c = (Organization.objects.create(name=f"评价测试{x}队{tag}", short_name=f"{x}队", kind=Organization.Kind.ENFORCEMENT_TEAM,
                                                 level=Organization.Level.STREET, region=street, parent=w.bureau) for x in "ABC")
    w.dept = Organization.objects.create(name=f"评价测试委{tag}", kind=Organization.Kind.FUNCTIONAL_DEPARTMENT, level=Organization.Level.DISTRICT, region=district)
    for org in (w.a, w.a, w.b):
        Membership.objects.create(user=user_with(name="ev-officer"), organization=org, role=Role.OFFICER)
    C, D = Status.CLOSED, Status.DISPATCHED
    w.t1 = make_task(w.a, at(3, 2, 10), status=C, accepted_at=at(3, 2, 10, 30), deadline=at(3, 2, 14), solved=True, rating="satisfied")
    w.t2 = make_task(w.a, at(3, 5), status=C, accepted_at=at(3, 5, 18), deadline=at(3, 5, 17), solved=False, rating="dissatisfied", rerouted="return")
    w.t3 = make_task(w.a, at(3, 10), status=D)
    w.t4 = make_task(w.a, at(3, 12), status=Status.NEW)
    w.t5 = make_task(w.a, at(3, 31, 23, 50), status=C, accepted_at=at(4, 1, 0, 20), deadline=at(4, 1, 1, 50), solved=True)
    w.t6 = make_task(w.a, at(4, 1, 0, 10), status=D)
    w.t7 = make_task(w.a, at(2, 28, 23, 59), status=D)
    w.t8 = make_task(w.a, at(3, 2, 10, 5), status=Status.MERGED, master=w.t1)
    w.t9 = make_task(w.a, at(3, 15), status=C, accepted_at=at(3, 15, 15), deadline=at(3, 16), solved=True, rating="basic", rerouted="refer")
    w.t10 = make_task(w.a, at(3, 20), status=D, reopened_from=w.t2)
    w.c1 = make_task(w.c, at(3, 8), status=C, accepted_at=at(3, 8, 10), solved=True)
    # Whistles: three summonses of the department due in March, one due tomorrow (still open).
    blower = user_with(name="ev-blower")
    whistle = Whistle.objects.create(task=w.t3, blown_by=blower, street_office=w.bureau, reason="多部门联合处置")
    now = timezone.now()
    w.s_on = WhistleSummons.objects.create(whistle=whistle, department=w.dept, due_at=at(3, 3), reported_at=at(3, 3, 8, 50), late_minutes=0)
    second = Whistle.objects.create(task=w.t2, blown_by=blower, street_office=w.bureau, reason="再次吹哨")
    w.s_late = WhistleSummons.objects.create(whistle=second, department=w.dept, due_at=at(3, 4), reported_at=at(3, 4, 9, 17), late_minutes=17)
    third = Whistle.objects.create(task=w.t9, blown_by=blower, street_office=w.bureau, reason="三次吹哨")
    w.s_miss = WhistleSummons.objects.create(whistle=third, department=w.dept, due_at=at(3, 6))
    fourth = Whistle.objects.create(task=w.t10, blown_by=blower, street_office=w.bureau, reason="明日报到")
    w.s_wait = WhistleSummons.objects.create(whistle=fourth, department=w.dept, due_at=now + dt.timedelta(days=1))
    # Cases of squad A: c1 returned then penalty set again (changed); c2 passed; c3 returned, not changed; c4 first reviewed in February.
    w.case1 = make_case(w.a, [("legal_return", at(3, 5)), ("set_penalty", at(3, 6)), ("legal_pass", at(3, 7))])
    w.case2 = make_case(w.a, [("set_penalty", at(3, 9)), ("legal_pass", at(3, 10))])
    w.case3 = make_case(w.a, [("set_penalty", at(3, 1)), ("legal_return", at(3, 12))])
    w.case4 = make_case(w.a, [("legal_pass", at(2, 27)), ("leader_return", at(3, 3)), ("legal_return", at(3, 4))])
    return w
