"""Peak cells (Poisson upper tail, Benjamini–Hochberg) and coverage of duty against demand, pages and API."""
import datetime as dt

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from io import BytesIO
from rest_framework.test import APIClient

from apps.accounts.models import Role
from apps.duty import demand, services
from apps.duty.models import Post, Shift
from tests.duty.conftest import MONDAY, at, make_task
from tests.personas import five_callers


@pytest.fixture
def callers(squad):
    return five_callers(role=Role.SQUAD_LEADER, organization=squad)


def _now():
    return timezone.make_aware(dt.datetime(2026, 3, 30, 0, 0))  # a Monday: the eight weeks before are 2 Feb to 29 Mar


@pytest.mark.django_db
def test_a_planted_peak_is_found_and_a_flat_grid_has_none(callers, grid):
    now = _now()
    # Flat background: one report a day at a different hour each day, for eight weeks.
    for day in range(56):
        make_task(grid, now - dt.timedelta(days=56 - day) + dt.timedelta(hours=day % 24))
    flat = demand.peak_cells(user=callers.insider, grids=[grid], now=now)
    assert flat == []
    # Every Wednesday at 18:00 four reports: a peak.
    first_wednesday = (now - dt.timedelta(weeks=8)).date() + dt.timedelta(days=2)
    for week in range(8):
        for minute in (5, 15, 25, 35):
            make_task(grid, at(first_wednesday + dt.timedelta(weeks=week), 18, minute))
    cells = demand.peak_cells(user=callers.insider, grids=[grid], now=now)
    assert [(c.weekday, c.hour) for c in cells] == [(2, 18)]
    assert cells[0].count == 32 and cells[0].q_value < 0.05 and cells[0].p_value <= cells[0].q_value
    # The outsider sees none of these tasks, so no peak.
    assert demand.peak_cells(user=callers.outsider, grids=[grid], now=now) == []


@pytest.mark.django_db
def test_adopting_a_peak_makes_a_post_and_a_peak_shift_once(callers, squad, grid):
    shift = services.peak_adopt(user=callers.insider, squad=squad, grid=grid, weekday=2, hour=18, on_date=MONDAY)
    assert shift.date == MONDAY + dt.timedelta(days=2) and shift.kind == Shift.Kind.PEAK
    assert (shift.start_time, shift.end_time) == (dt.time(18), dt.time(20))
    assert shift.post.kind == Post.Kind.GRID and shift.post.grid == grid and shift.post.source == Post.Source.PEAK
    again = services.peak_adopt(user=callers.insider, squad=squad, grid=grid, weekday=2, hour=18, on_date=MONDAY)
    assert again.pk == shift.pk and Post.objects.filter(squad=squad, source=Post.Source.PEAK).count() == 1


@pytest.mark.django_db
def test_coverage_puts_officer_hours_in_the_post_grid_and_counts_intake_by_hour(callers, squad, grid, officers):
    roster = services.roster_ensure(user=callers.insider, squad=squad, week_start=MONDAY)
    post = services.post_create(user=callers.insider, squad=squad, name="岗", kind=Post.Kind.GRID, grid=grid)
    shift = services.shift_create(user=callers.insider, roster=roster, date=MONDAY, start_time=dt.time(8, 30), end_time=dt.time(10), post=post)
    services.assignment_add(user=callers.insider, shift=shift, officer=officers[0])
    services.assignment_add(user=callers.insider, shift=shift, officer=officers[1])
    make_task(grid, at(MONDAY, 9, 10))
    make_task(grid, at(MONDAY, 9, 50))
    make_task(grid, at(MONDAY, 20))
    start, end = at(MONDAY, 0), at(MONDAY + dt.timedelta(days=7), 0)
    rows = demand.coverage(user=callers.insider, squad=squad, grids=[grid], start=start, end=end)
    row = rows[0]
    assert row.duty[8] == 1.0 and row.duty[9] == 2.0 and row.duty_total == 3.0
    assert row.intake[9] == 2 and row.intake[20] == 1 and row.intake_total == 3
    client = APIClient()
    client.force_authenticate(callers.insider)
    response = client.get(f"/api/duty/coverage/?squad={squad.pk}&from={MONDAY}&to={MONDAY + dt.timedelta(days=6)}")
    assert response.status_code == 200
    mine = next(g for g in response.data["grids"] if g["grid"] == grid.pk)
    assert mine["hours"][9] == {"hour": 9, "duty_hours": 2.0, "intake": 2}
    assert response.data["by_hour"][9]["intake_per_duty_hour"] == pytest.approx(1.0)
    client.force_authenticate(callers.outsider)
    assert client.get(f"/api/duty/coverage/?squad={squad.pk}").status_code == 404


@pytest.mark.django_db
def test_the_coverage_page_shows_the_table_and_exports_xlsx(client, callers, squad, grid):
    make_task(grid, at(MONDAY, 9, 10))
    client.force_login(callers.insider)
    page = client.get(f"/duty/coverage/?squad={squad.pk}&from={MONDAY}&to={MONDAY + dt.timedelta(days=6)}")
    assert page.status_code == 200 and b"duty-coverage-chart" in page.content and b"echarts.min.js" in page.content
    xlsx = client.get(f"/duty/coverage/?squad={squad.pk}&from={MONDAY}&to={MONDAY + dt.timedelta(days=6)}&format=xlsx")
    sheet = load_workbook(BytesIO(xlsx.content)).active
    rows = [r for r in sheet.iter_rows(min_row=3, values_only=True) if r[0] == grid.code and r[2] == 9]
    assert rows and rows[0][4] == 1
    for name, user in callers.others():
        if user is None:
            continue
        client.force_login(user)
        assert client.get(f"/duty/coverage/?squad={squad.pk}").status_code in (403, 404), name
