"""XLSX export of coverage (openpyxl through apps.gbcp.spreadsheet): one row per grid and hour of the day."""
from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from apps.gbcp import spreadsheet


def coverage_xlsx(*, squad, first, last, rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _("Coverage")[:31]
    ws.append(spreadsheet.row([f"{squad.name} {first.isoformat()} – {last.isoformat()}"]))
    ws.append([_("grid code"), _("grid"), _("hour of the day"), _("officer-hours on duty"), _("reports received"), _("reports per officer-hour")])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for r in rows:
        for hour, duty, intake in r.cells():
            ws.append(spreadsheet.row([r.grid.code, r.grid.name, hour, duty, intake, round(intake / duty, 3) if duty else None]))
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
