"""The duty pages: the roster week (plan, copy last week), posts, peaks with the one-click post and shift, my shifts;
the five callers; the demo's rosters."""
import datetime as dt

import pytest
from django.utils import timezone

from apps.accounts.models import Role
from apps.duty import selectors, services
from apps.duty.models import Post, Roster, Shift, ShiftAssignment
from tests.duty.conftest import MONDAY
from tests.personas import five_callers

pytestmark = pytest.mark.django_db


@pytest.fixture
def callers(squad):
    return five_callers(role=Role.SQUAD_LEADER, organization=squad)


def test_the_roster_page_answers_the_insider_and_refuses_the_others(client, callers, squad):
    url = f"/duty/?squad={squad.pk}&week={MONDAY}"
    client.force_login(callers.insider)
    page = client.get(url)
    assert page.status_code == 200 and ("添加班次".encode() in page.content or b"Add a shift" in page.content)
    expected = {"outsider": 404, "citizen": 403, "merchant": 403}
    for name, user in callers.others():
        client.logout()
        if user is None:
            assert client.get(url).status_code == 302
            continue
        client.force_login(user)
        assert client.get(url).status_code == expected[name], name


def test_a_leader_plans_a_week_on_the_page_and_copies_it_to_the_next(client, callers, squad, officers):
    client.force_login(callers.insider)
    response = client.post("/duty/shifts/new/", {"squad": squad.pk, "week": MONDAY, "date": MONDAY, "start_time": "22:00", "end_time": "06:00",
                                                 "kind": "night"})
    assert response.status_code == 302
    shift = Shift.objects.get(squad=squad, date=MONDAY, kind=Shift.Kind.NIGHT)
    assert shift.ends_at - shift.starts_at == dt.timedelta(hours=8)
    client.post(f"/duty/shifts/{shift.pk}/assign/", {"officer": officers[0].pk})
    assert ShiftAssignment.objects.filter(shift=shift, officer=officers[0]).exists()
    next_week = MONDAY + dt.timedelta(days=7)
    client.post("/duty/copy/", {"squad": squad.pk, "week": next_week})
    copied = Roster.objects.get(squad=squad, week_start=next_week).shifts.get()
    assert copied.assignments.get().officer == officers[0]
    # The outsider cannot write to it: not found.
    client.force_login(callers.outsider)
    assert client.post(f"/duty/shifts/{shift.pk}/delete/").status_code == 404


def test_an_overlap_on_the_page_is_said_and_nothing_saved(client, callers, squad, officers):
    roster = services.roster_ensure(user=callers.insider, squad=squad, week_start=MONDAY)
    a = services.shift_create(user=callers.insider, roster=roster, date=MONDAY, start_time=dt.time(8), end_time=dt.time(16))
    b = services.shift_create(user=callers.insider, roster=roster, date=MONDAY, start_time=dt.time(12), end_time=dt.time(20))
    services.assignment_add(user=callers.insider, shift=a, officer=officers[0])
    client.force_login(callers.insider)
    page = client.post(f"/duty/shifts/{b.pk}/assign/", {"officer": officers[0].pk}, follow=True, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "已在岗".encode() in page.content
    assert not b.assignments.exists()


def test_posts_and_peaks_pages_and_the_one_click_peak_post(client, callers, squad, grid):
    client.force_login(callers.insider)
    assert client.get(f"/duty/posts/?squad={squad.pk}").status_code == 200
    response = client.post(f"/duty/posts/?squad={squad.pk}", {"squad": squad.pk, "name": "页面岗", "kind": "grid", "grid": grid.pk})
    assert response.status_code == 302 and Post.objects.filter(squad=squad, name="页面岗").exists()
    assert client.get(f"/duty/peaks/?squad={squad.pk}").status_code == 200
    response = client.post("/duty/peaks/adopt/", {"squad": squad.pk, "grid": grid.pk, "weekday": 4, "hour": 7})
    assert response.status_code == 302
    shift = Shift.objects.get(squad=squad, kind=Shift.Kind.PEAK, start_time=dt.time(7), post__grid=grid)
    assert shift.date.weekday() == 4 and shift.date >= timezone.localdate()
    client.force_login(callers.outsider)
    assert client.post("/duty/peaks/adopt/", {"squad": squad.pk, "grid": grid.pk, "weekday": 4, "hour": 8}).status_code == 404


def test_an_officer_sees_his_own_shifts_and_no_roster(client, callers, squad, officers):
    today = timezone.localdate()
    roster = services.roster_ensure(user=callers.insider, squad=squad, week_start=today)
    shift = services.shift_create(user=callers.insider, roster=roster, date=today, start_time=dt.time(9), end_time=dt.time(11), note="")
    services.assignment_add(user=callers.insider, shift=shift, officer=officers[0])
    client.force_login(officers[0])
    page = client.get("/duty/mine/")
    assert page.status_code == 200 and today.strftime("%Y-%m-%d").encode() in page.content
    assert client.get("/duty/").status_code == 403


def test_the_demo_squads_have_this_weeks_roster(db):
    monday = selectors.week_monday(timezone.localdate())
    rosters = Roster.objects.filter(week_start__lte=monday).select_related("squad")
    demo = [r for r in rosters if r.squad.name == "东华门街道综合行政执法队" and r.created_by and r.created_by.username == "dhm_leader"]
    assert demo, "the demo planned 东华门's week"
    roster = demo[0]
    assert roster.shifts.filter(kind=Shift.Kind.NIGHT).exists() and roster.shifts.filter(kind=Shift.Kind.PEAK).exists()
    # No officer of the demo stands on two overlapping shifts.
    for a in ShiftAssignment.objects.filter(shift__roster=roster).select_related("shift"):
        assert not selectors.overlapping_assignments(officer_id=a.officer_id, starts_at=a.shift.starts_at, ends_at=a.shift.ends_at,
                                                     exclude_shift_id=a.shift_id).exists()
