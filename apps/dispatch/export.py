"""The intake queue as an XLSX file (openpyxl): the rows of the filtered list, at most
``selectors_workbench.EXPORT_LIMIT``, personal data masked by the viewer's clearance as on the pages."""
from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from apps.dispatch import overdue
from apps.gbcp import spreadsheet
from apps.gbcp.masking import mask
from apps.gbcp.privacy import note_unmasked


def _local(value):
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def queue_xlsx(*, tasks, clearance, viewer=None) -> bytes:
    """``tasks``: an iterable of queue rows (with ``deadline_state`` annotated); what ``viewer`` gets unmasked goes on the
    access log (one batch for the request)."""
    states = {overdue.RED: _("overdue"), overdue.YELLOW: _("nearly due"), "": ""}
    wb = Workbook()
    ws = wb.active
    ws.title = _("Tasks")
    ws.append([_("Number"), _("Received"), _("Source"), _("Status"), _("Category"), _("Address"), _("Description"),
               _("Organisation"), _("Deadline"), _("Warning"), _("Reporter"), _("Reporter phone")])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for task in tasks:
        ws.append(spreadsheet.row([
            task.number, _local(task.received_at), task.get_source_display(), task.get_status_display(),
            task.category.name if task.category_id else "", mask("address", task.address, clearance) or (task.region.name if task.region_id else ""),
            task.description, task.organization.name if task.organization_id else "", _local(task.deadline),
            states.get(getattr(task, "deadline_state", "") or "", ""),
            mask("name", task.reporter_name, clearance), mask("phone", task.reporter_phone, clearance),
        ]))
        if viewer is not None and (task.reporter_name or task.reporter_phone):
            note_unmasked(user=viewer, value=mask("phone", task.reporter_phone or task.reporter_name, clearance), what="reporter", subject=task)
    for row in ws.iter_rows(min_row=2, min_col=2, max_col=9):
        for cell in (row[0], row[7]):
            cell.number_format = "yyyy-mm-dd hh:mm"
    for letter, width in zip("ABCDEFGHIJKL", (16, 17, 12, 10, 18, 30, 40, 24, 17, 10, 10, 14)):
        ws.column_dimensions[letter].width = width
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
