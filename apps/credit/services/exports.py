"""Export of the joint-punishment list (联合惩戒名单) for the city credit platform, as CSV or XLSX; every export logged."""
import csv
import hashlib
import io

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook

from apps.credit.joint import EXPORT_COLUMNS, export_rows, joint_list_for_user
from apps.credit.models import PunishmentExport
from apps.credit.policy import may_export
from apps.credit.selectors import ruleset_active
from apps.gbcp import spreadsheet
from apps.gbcp.audit import acting_as
from apps.gbcp.errors import ApplicationError

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _csv_bytes(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([key for key, _heading in EXPORT_COLUMNS])
    writer.writerow([heading for _key, heading in EXPORT_COLUMNS])
    for row in rows:
        writer.writerow(spreadsheet.row([row[key] for key, _heading in EXPORT_COLUMNS]))
    return out.getvalue().encode("utf-8-sig")  # with a BOM: spreadsheet programs open it as UTF-8


def _xlsx_bytes(rows, now) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "联合惩戒名单"
    sheet.append([key for key, _heading in EXPORT_COLUMNS])
    sheet.append([heading for _key, heading in EXPORT_COLUMNS])
    for row in rows:
        sheet.append(spreadsheet.row([row[key] for key, _heading in EXPORT_COLUMNS]))
    book.properties.created = now.replace(tzinfo=None)  # fixed by the export time, not by the clock at save
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@transaction.atomic
def joint_list_export(*, user, fmt: str) -> tuple[bytes, str, PunishmentExport]:
    """(file content, file name, log entry). Only legal reviewers, leaders and administrators export; rows are their jurisdiction's."""
    if not may_export(user):
        raise ApplicationError(_("Only legal reviewers, leaders and administrators export the joint-punishment list."),
                               code="export_not_allowed", status_code=403)
    if fmt not in CONTENT_TYPES:
        raise ApplicationError(_("Export as CSV or XLSX."), code="unknown_format")
    now = timezone.now()
    with translation.override("zh-hans"):  # the platform's language, whatever the exporter's
        rows = export_rows(joint_list_for_user(user=user), now=now)
    content = _csv_bytes(rows) if fmt == "csv" else _xlsx_bytes(rows, timezone.localtime(now))
    with acting_as(user):
        log = PunishmentExport.objects.create(exported_by=user, exported_at=now, format=fmt, rows=len(rows),
                                              sha256=hashlib.sha256(content).hexdigest(), ruleset=ruleset_active())
    name = f"joint-punishment-{timezone.localtime(now):%Y%m%d-%H%M%S}.{fmt}"
    return content, name, log
