"""The duty API: my shifts, rosters, shifts and officers, posts, who is on duty; the five callers; one error format."""
import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from apps.accounts.models import Role
from apps.duty import selectors, services
from apps.duty.models import Post, Shift
from tests.duty.conftest import MONDAY
from tests.personas import five_callers, user_with


def client_for(user):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def callers(squad):
    return five_callers(role=Role.SQUAD_LEADER, organization=squad)


@pytest.fixture
def week(callers, squad, officers):
    roster = services.roster_ensure(user=callers.insider, squad=squad, week_start=MONDAY)
    for offset in range(7):
        shift = services.shift_create(user=callers.insider, roster=roster, date=MONDAY + dt.timedelta(days=offset), start_time=dt.time(8),
                                      end_time=dt.time(16), kind=Shift.Kind.EARLY)
        for officer in officers:
            services.assignment_add(user=callers.insider, shift=shift, officer=officer)
    return roster


@pytest.mark.django_db
def test_the_roster_answers_the_insider_and_not_the_others(callers, week):
    url = f"/api/duty/rosters/{week.pk}/"
    response = client_for(callers.insider).get(url)
    assert response.status_code == 200
    assert len(response.data["shifts"]) == 7 and response.data["actions"] == ["edit", "copy_previous"]
    expected = {"outsider": 404, "citizen": 403, "merchant": 403, "anonymous": 401}
    for name, user in callers.others():
        assert client_for(user).get(url).status_code == expected[name], name
    listing = {"outsider": 200, "citizen": 403, "merchant": 403, "anonymous": 401}
    for name, user in callers.others():
        response = client_for(user).get("/api/duty/rosters/")
        assert response.status_code == listing[name], name
        if response.status_code == 200:
            assert week.pk not in [r["id"] for r in response.data["results"]]


@pytest.mark.django_db
def test_the_roster_detail_takes_the_same_queries_whatever_its_size(callers, week, squad, officers, django_assert_max_num_queries):
    client = client_for(callers.insider)
    with django_assert_max_num_queries(12):
        response = client.get(f"/api/duty/rosters/{week.pk}/")
    assert sum(len(s["assignments"]) for s in response.data["shifts"]) == 21


@pytest.mark.django_db
def test_an_overlapping_shift_is_a_400_in_the_one_error_format(callers, week, officers):
    shift = week.shifts.first()
    response = client_for(callers.insider).post(f"/api/duty/rosters/{week.pk}/shifts/", {
        "date": shift.date.isoformat(), "start_time": "15:00", "end_time": "20:00", "kind": "day"}, format="json")
    assert response.status_code == 201
    response = client_for(callers.insider).post(f"/api/duty/shifts/{response.data['id']}/assignments/", {"officer": officers[0].pk}, format="json")
    assert response.status_code == 400
    assert response.data["error"]["code"] == "shift_overlap" and "officer" in response.data["error"]["details"]


@pytest.mark.django_db
def test_an_officer_of_another_district_does_not_exist_for_the_roster(callers, week, other_squad):
    stranger = user_with(role=Role.OFFICER, organization=other_squad, name="far-officer")
    shift = week.shifts.first()
    response = client_for(callers.insider).post(f"/api/duty/shifts/{shift.pk}/assignments/", {"officer": stranger.pk}, format="json")
    assert response.status_code == 400 and "officer" in response.data["error"]["details"]
    ghost = client_for(callers.insider).post(f"/api/duty/shifts/{shift.pk}/assignments/", {"officer": 10**9}, format="json")
    same = [str(m).replace(str(stranger.pk), "#") for m in response.data["error"]["details"]["officer"]]
    assert ghost.status_code == 400 and [str(m).replace(str(10**9), "#") for m in ghost.data["error"]["details"]["officer"]] == same


@pytest.mark.django_db
def test_the_outsider_cannot_write_to_the_roster(callers, week, officers):
    shift = week.shifts.first()
    for name, user in callers.others():
        response = client_for(user).post(f"/api/duty/shifts/{shift.pk}/assignments/", {"officer": officers[0].pk}, format="json")
        assert response.status_code == {"outsider": 404, "citizen": 403, "merchant": 403, "anonymous": 401}[name], name
        response = client_for(user).post("/api/duty/rosters/ensure/", {"squad": week.squad_id, "week_start": "2026-03-09"}, format="json")
        assert response.status_code == {"outsider": 400, "citizen": 403, "merchant": 403, "anonymous": 401}[name], name


@pytest.mark.django_db
def test_an_officer_reads_his_shifts_today_and_this_week(callers, squad, officers, grid):
    today = timezone.localdate()
    roster = services.roster_ensure(user=callers.insider, squad=squad, week_start=today)
    post = services.post_create(user=callers.insider, squad=squad, name="今日岗", kind=Post.Kind.GRID, grid=grid)
    for day in sorted({today, selectors.week_monday(today), selectors.week_monday(today) + dt.timedelta(days=6)}):
        shift = services.shift_create(user=callers.insider, roster=roster, date=day, start_time=dt.time(9), end_time=dt.time(12), post=post)
        services.assignment_add(user=callers.insider, shift=shift, officer=officers[0])
    client = client_for(officers[0])
    today_list = client.get("/api/duty/my-shifts/?range=today").data["results"]
    assert [r["date"] for r in today_list] == [today.isoformat()] and today_list[0]["post"]["name"] == "今日岗"
    week_list = client.get("/api/duty/my-shifts/?range=week").data["results"]
    assert len(week_list) == len({today, selectors.week_monday(today), selectors.week_monday(today) + dt.timedelta(days=6)})
    assert client_for(officers[1]).get("/api/duty/my-shifts/?range=week").data["results"] == []
    assert client_for(callers.citizen).get("/api/duty/my-shifts/").status_code == 403
    assert client_for(None).get("/api/duty/my-shifts/").status_code == 401


@pytest.mark.django_db
def test_who_is_on_duty_at_a_time_in_a_grid(callers, week, grid, officers):
    when = (MONDAY + dt.timedelta(days=1)).isoformat() + "T10:00:00"
    response = client_for(callers.insider).get(f"/api/duty/on-duty/?at={when}&grid={grid.pk}")
    assert response.status_code == 200 and sorted(r["officer"] for r in response.data["results"]) == sorted(o.pk for o in officers)
    late = (MONDAY + dt.timedelta(days=1)).isoformat() + "T17:00:00"
    assert client_for(callers.insider).get(f"/api/duty/on-duty/?at={late}&grid={grid.pk}").data["results"] == []
    assert client_for(callers.outsider).get(f"/api/duty/on-duty/?at={when}").data["results"] == []


@pytest.mark.django_db
def test_a_post_is_made_through_the_api_and_listed(callers, squad, grid):
    client = client_for(callers.insider)
    p = grid.boundary.point_on_surface
    response = client.post("/api/duty/posts/", {"squad": squad.pk, "name": "路口定点", "kind": "point", "lat": p.y, "lon": p.x, "radius_m": 80},
                           format="json")
    assert response.status_code == 201 and response.data["geometry"]["type"] == "Polygon"
    assert "路口定点" in [r["name"] for r in client.get(f"/api/duty/posts/?squad={squad.pk}").data["results"]]
    outsider = client_for(callers.outsider).post("/api/duty/posts/", {"squad": squad.pk, "name": "x", "kind": "grid", "grid": grid.pk}, format="json")
    assert outsider.status_code == 400 and "squad" in outsider.data["error"]["details"]


@pytest.mark.django_db
def test_my_shifts_and_the_roster_take_the_same_queries_for_one_shift_or_many(callers, squad, officers, grid):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from apps.duty.api.serializers import MyShiftSerializer, OnDutySerializer

    roster = services.roster_ensure(user=callers.insider, squad=squad, week_start=MONDAY)
    post = services.post_create(user=callers.insider, squad=squad, name="计数岗", kind=Post.Kind.GRID, grid=grid)
    start, end = timezone.make_aware(dt.datetime.combine(MONDAY, dt.time())), timezone.make_aware(dt.datetime.combine(MONDAY, dt.time())) + dt.timedelta(days=7)

    def counts():
        with CaptureQueriesContext(connection) as mine:
            rows = MyShiftSerializer(selectors.my_shifts(user=officers[0], start=start, end=end), many=True).data
        with CaptureQueriesContext(connection) as duty:
            OnDutySerializer(selectors.on_duty_at(user=callers.insider, when=start + dt.timedelta(hours=10)), many=True).data
        with CaptureQueriesContext(connection) as detail:
            client_for(callers.insider).get(f"/api/duty/rosters/{roster.pk}/")
        return len(rows), (len(mine), len(duty), len(detail))

    def add(day, start_hour=9):
        shift = services.shift_create(user=callers.insider, roster=roster, date=MONDAY + dt.timedelta(days=day), start_time=dt.time(start_hour),
                                      end_time=dt.time(start_hour + 2), post=post)
        for officer in officers:
            services.assignment_add(user=callers.insider, shift=shift, officer=officer)

    add(0)
    size, one = counts()
    assert size == 1
    for day in range(1, 6):
        add(day)
    size, many = counts()
    assert size == 6 and many == one
