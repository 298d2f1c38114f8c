"""Import of real history: closed tasks located by point, all or nothing, errors by row number; the command."""
import io
import json

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from apps.dispatch.models import Status, Task
from apps.dispatch.services.history import HistoryRow, history_import
from apps.gbcp.errors import ApplicationError

pytestmark = pytest.mark.django_db


def test_rows_become_closed_located_tasks(dc_grids, categories):
    grid = dc_grids[0]
    p = grid.boundary.point_on_surface
    created = history_import(user=None, rows=[HistoryRow(2, "2025-03-02 10:15", p.x, p.y, categories[0].code, "hotline", "110101")], ref_prefix="imp-a-")
    task = Task.objects.get(external_ref="imp-a-2")
    assert created == 1 and task.status == Status.CLOSED and task.process_id is None
    assert task.grid_id == grid.pk and task.region_code.startswith("110101") and task.number.startswith("T20250302")


def test_one_bad_row_and_nothing_is_written(dc_grids, categories):
    p = dc_grids[0].boundary.point_on_surface
    rows = [HistoryRow(2, "2025-03-02 10:15", p.x, p.y, categories[0].code, "hotline"),
            HistoryRow(3, "not a time", p.x, p.y, "NOPE", "fax"),
            HistoryRow(4, "2025-03-02 10:15", p.x, p.y, categories[0].code, "hotline", "110108")]
    with pytest.raises(ApplicationError) as caught:
        history_import(user=None, rows=rows, ref_prefix="imp-b-")
    assert set(caught.value.details) == {"row 3", "row 4"} and len(caught.value.details["row 3"]) == 3
    assert not Task.objects.filter(external_ref__startswith="imp-b-").exists()


def test_the_command_reads_csv_and_refuses_a_second_import(tmp_path, dc_grids, categories):
    p = dc_grids[1].boundary.point_on_surface
    path = tmp_path / "history.csv"
    path.write_text(f"time,lon,lat,category,source,district\n2025-01-05 08:00,{p.x},{p.y},{categories[0].code},patrol,110101\n", encoding="utf-8")
    out = io.StringIO()
    call_command("analytics_import_history", str(path), stdout=out)
    assert "Imported 1" in out.getvalue()
    with pytest.raises(CommandError, match="imported before"):
        call_command("analytics_import_history", str(path), stdout=io.StringIO())


def test_backtest_command_prints_one_json_line(write_history, dc_grids, categories):
    from tests.analytics.conftest import at
    write_history([(at(2025, 1, 1 + d % 28, 9), dc_grids[0], categories[0], "hotline") for d in range(40)])
    out = io.StringIO()
    call_command("analytics_backtest", "--to", "2025-06-30", "--weeks", "1", "--no-store", stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert len(lines) == 1
    found = json.loads(lines[0])
    assert found["last_day"] == "2025-06-30" and "results" in found


def test_the_xlsx_export_opens_and_says_demo(client, write_history, dc_grids, categories, dc_bureau):
    from apps.accounts.models import Role
    from tests.analytics.conftest import at
    from tests.personas import user_with
    write_history([(at(2025, 3, 3, 9), dc_grids[0], categories[0], "hotline")], prefix="demo-hist-x")
    client.force_login(user_with(role=Role.ANALYST, organization=dc_bureau))
    for figure in ("peak-times", "hot-spots", "growth", "forecast"):
        response = client.get(f"/analytics/export/{figure}.xlsx?from=2025-03-01&to=2025-03-31")
        assert response.status_code == 200, figure
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert "演示" in str(sheet["B1"].value) or "generated" in str(sheet["B1"].value)
    page = client.get("/analytics/?from=2025-03-01&to=2025-03-31")
    assert "演示数据为生成数据" in page.content.decode()
