"""Rosters: shifts crossing midnight, no officer on two overlapping shifts, only the squad's officers, copying last week."""
import datetime as dt

import pytest
from django.utils import translation

from apps.accounts.models import Role
from apps.duty import services
from apps.duty.models import Post, Shift, ShiftAssignment
from apps.gbcp.errors import ApplicationError
from tests.duty.conftest import MONDAY, at
from tests.personas import user_with


def _roster(leader, squad, monday=MONDAY):
    return services.roster_ensure(user=leader, squad=squad, week_start=monday + dt.timedelta(days=2))


@pytest.mark.django_db
def test_a_roster_is_one_per_squad_and_week_starting_on_monday(leader, squad):
    roster = _roster(leader, squad)
    assert roster.week_start == MONDAY and roster.week_end == MONDAY + dt.timedelta(days=6)
    assert services.roster_ensure(user=leader, squad=squad, week_start=MONDAY + dt.timedelta(days=6)).pk == roster.pk
    assert roster.history.first().history_user == leader


@pytest.mark.django_db
def test_a_night_shift_ends_the_next_day(leader, squad):
    shift = services.shift_create(user=leader, roster=_roster(leader, squad), date=MONDAY, start_time=dt.time(23), end_time=dt.time(7),
                                  kind=Shift.Kind.NIGHT)
    assert shift.crosses_midnight
    assert shift.starts_at == at(MONDAY, 23) and shift.ends_at == at(MONDAY + dt.timedelta(days=1), 7)
    assert shift.hours == 8


@pytest.mark.django_db
def test_a_shift_outside_the_week_or_too_long_is_refused(leader, squad):
    roster = _roster(leader, squad)
    with pytest.raises(ApplicationError) as outside:
        services.shift_create(user=leader, roster=roster, date=MONDAY - dt.timedelta(days=1), start_time=dt.time(8), end_time=dt.time(16))
    assert outside.value.code == "day_outside_week"
    with pytest.raises(ApplicationError) as long:
        services.shift_create(user=leader, roster=roster, date=MONDAY, start_time=dt.time(8), end_time=dt.time(7, 30))
    assert long.value.code == "shift_too_long"


@pytest.mark.django_db
def test_an_officer_cannot_be_on_two_overlapping_shifts_and_is_told_so_in_chinese_and_english(leader, squad, officers):
    roster = _roster(leader, squad)
    night = services.shift_create(user=leader, roster=roster, date=MONDAY, start_time=dt.time(22), end_time=dt.time(6), kind=Shift.Kind.NIGHT)
    early = services.shift_create(user=leader, roster=roster, date=MONDAY + dt.timedelta(days=1), start_time=dt.time(5), end_time=dt.time(13),
                                  kind=Shift.Kind.EARLY)
    after = services.shift_create(user=leader, roster=roster, date=MONDAY + dt.timedelta(days=1), start_time=dt.time(6), end_time=dt.time(14))
    services.assignment_add(user=leader, shift=night, officer=officers[0])
    with pytest.raises(ApplicationError) as english:
        services.assignment_add(user=leader, shift=early, officer=officers[0])
    assert english.value.code == "shift_overlap" and english.value.status_code == 400
    assert "already on duty" in str(english.value.message)
    with translation.override("zh-hans"), pytest.raises(ApplicationError) as chinese:
        services.assignment_add(user=leader, shift=early, officer=officers[0])
    assert "已在" in str(chinese.value.message)
    # Back to back (06:00 end, 06:00 start) is no overlap.
    services.assignment_add(user=leader, shift=after, officer=officers[0])
    assert ShiftAssignment.objects.filter(officer=officers[0]).count() == 2


@pytest.mark.django_db
def test_moving_a_shift_onto_another_shift_of_its_officer_is_refused(leader, squad, officers):
    roster = _roster(leader, squad)
    a = services.shift_create(user=leader, roster=roster, date=MONDAY, start_time=dt.time(8), end_time=dt.time(12))
    b = services.shift_create(user=leader, roster=roster, date=MONDAY, start_time=dt.time(13), end_time=dt.time(17))
    services.assignment_add(user=leader, shift=a, officer=officers[0])
    services.assignment_add(user=leader, shift=b, officer=officers[0])
    with pytest.raises(ApplicationError) as err:
        services.shift_update(user=leader, shift=b, date=MONDAY, start_time=dt.time(11), end_time=dt.time(15), kind=Shift.Kind.DAY)
    assert err.value.code == "shift_overlap"
    b.refresh_from_db()
    assert b.start_time == dt.time(13)


@pytest.mark.django_db
def test_only_officers_of_the_squad_serve_on_its_roster(leader, squad, other_squad):
    roster = _roster(leader, squad)
    shift = services.shift_create(user=leader, roster=roster, date=MONDAY, start_time=dt.time(8), end_time=dt.time(16))
    stranger = user_with(role=Role.OFFICER, organization=other_squad, name="stranger")
    dispatcher = user_with(role=Role.DISPATCHER, organization=squad, name="not-an-officer")
    for person in (stranger, dispatcher):
        with pytest.raises(ApplicationError) as err:
            services.assignment_add(user=leader, shift=shift, officer=person)
        assert err.value.code == "not_a_squad_officer"


@pytest.mark.django_db
def test_a_post_of_another_squad_is_refused(leader, squad, other_squad, grid, officers):
    other_post = Post.objects.create(squad=other_squad, name="别队岗", kind=Post.Kind.GRID, grid=other_squad.grids.first())
    shift = services.shift_create(user=leader, roster=_roster(leader, squad), date=MONDAY, start_time=dt.time(8), end_time=dt.time(16))
    with pytest.raises(ApplicationError) as err:
        services.assignment_add(user=leader, shift=shift, officer=officers[0], post=other_post)
    assert err.value.code == "does_not_exist"


@pytest.mark.django_db
def test_copying_last_week_moves_shifts_seven_days_and_leaves_out_who_left(leader, squad, officers, grid):
    post = services.post_create(user=leader, squad=squad, name="网格岗", kind=Post.Kind.GRID, grid=grid)
    last = _roster(leader, squad)
    s1 = services.shift_create(user=leader, roster=last, date=MONDAY + dt.timedelta(days=6), start_time=dt.time(23), end_time=dt.time(7),
                               kind=Shift.Kind.NIGHT, post=post)
    services.assignment_add(user=leader, shift=s1, officer=officers[0])
    services.assignment_add(user=leader, shift=s1, officer=officers[1])
    officers[1].memberships.update(is_active=False)
    this = services.roster_ensure(user=leader, squad=squad, week_start=MONDAY + dt.timedelta(days=7))
    report = services.roster_copy_previous(user=leader, roster=this)
    assert (report.shifts, report.assignments, len(report.skipped)) == (1, 1, 1)
    copied = this.shifts.get()
    assert copied.date == s1.date + dt.timedelta(days=7) and copied.ends_at == s1.ends_at + dt.timedelta(days=7)
    assert copied.post == post and list(copied.assignments.values_list("officer", flat=True)) == [officers[0].pk]
    with pytest.raises(ApplicationError) as again:
        services.roster_copy_previous(user=leader, roster=this)
    assert again.value.code == "roster_not_empty" and again.value.status_code == 409


@pytest.mark.django_db
def test_posts_are_a_grid_a_point_with_radius_or_an_area(leader, squad, grid):
    point = grid.boundary.point_on_surface
    circle = services.post_create(user=leader, squad=squad, name="定点岗", kind=Post.Kind.POINT, point=point, radius_m=100)
    shape = circle.geometry()
    assert shape.contains(point) and not shape.contains(type(point)(point.x + 0.002, point.y, srid=4326))  # ~170 m east: outside
    assert services.post_create(user=leader, squad=squad, name="网格岗", kind=Post.Kind.GRID, grid=grid).geometry().equals(grid.boundary)
    with pytest.raises(ApplicationError) as err:
        services.post_create(user=leader, squad=squad, name="无点", kind=Post.Kind.POINT, point=None, radius_m=100)
    assert err.value.code == "point_required"


@pytest.mark.django_db
def test_a_post_for_a_period_is_a_post_with_those_hours_and_a_shift_crossing_midnight(leader, squad, grid, other_squad):
    """post_for_period (used by an emergency's activation): one place, the period to the minute, 403 outside."""
    starts_at, ends_at = at(MONDAY + dt.timedelta(days=6), 22, 10) + dt.timedelta(seconds=42), at(MONDAY + dt.timedelta(days=7), 2, 10)
    shift = services.post_for_period(user=leader, squad=squad, name="应急值守 立交桥", starts_at=starts_at, ends_at=ends_at,
                                     point=grid.boundary.point_on_surface, radius_m=200, note="暴雨预案")
    post = shift.post
    assert (post.kind, post.radius_m, post.hours_start, post.hours_end) == (Post.Kind.POINT, 200, dt.time(22, 10), dt.time(2, 10))
    assert (shift.squad_id, shift.starts_at, shift.ends_at, shift.roster.week_start) == (squad.pk, at(MONDAY + dt.timedelta(days=6), 22, 10),
                                                                                          ends_at, MONDAY)
    on_grid = services.post_for_period(user=leader, squad=squad, name="网格值守", starts_at=starts_at, ends_at=ends_at, grid=grid)
    assert on_grid.post.kind == Post.Kind.GRID and on_grid.roster_id == shift.roster_id
    for kwargs, code in [({}, "place_required"), ({"grid": grid, "point": grid.boundary.centroid}, "place_required"),
                         ({"grid": grid, "ends_at": starts_at}, "period_invalid"),
                         ({"grid": grid, "ends_at": starts_at + dt.timedelta(hours=17)}, "shift_too_long")]:
        before = Post.objects.count()
        with pytest.raises(ApplicationError) as refused:
            services.post_for_period(user=leader, squad=squad, name="x", **{"starts_at": starts_at, "ends_at": ends_at, **kwargs})
        assert refused.value.code == code and Post.objects.count() == before
    with pytest.raises(ApplicationError) as elsewhere:
        services.post_for_period(user=leader, squad=other_squad, name="x", starts_at=starts_at, ends_at=ends_at,
                                 point=grid.boundary.centroid, radius_m=100)
    assert elsewhere.value.status_code == 403
