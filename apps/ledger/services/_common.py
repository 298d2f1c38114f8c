"""Private helpers the ledger's service modules share: the status words, value comparison, file export and hash."""
import csv
import hashlib
import io

from django.contrib.gis.geos import GEOSGeometry

from apps.accounts.jurisdiction import covers_code
from apps.gbcp import spreadsheet
from apps.ledger.models import Licence

LICENCE_STATUS_WORDS = {
    "": Licence.Status.ACTIVE, "有效": Licence.Status.ACTIVE, "正常": Licence.Status.ACTIVE, "active": Licence.Status.ACTIVE,
    "暂停": Licence.Status.SUSPENDED, "中止": Licence.Status.SUSPENDED, "suspended": Licence.Status.SUSPENDED,
    "吊销": Licence.Status.REVOKED, "撤销": Licence.Status.REVOKED, "注销": Licence.Status.REVOKED, "revoked": Licence.Status.REVOKED,
    "过期": Licence.Status.EXPIRED, "失效": Licence.Status.EXPIRED, "expired": Licence.Status.EXPIRED,
}


def covers(user, code) -> bool:
    """Whether a record of region ``code`` lies in the user's jurisdiction (the system, ``None``, holds all)."""
    return user is None or covers_code(user, code)


def same(old, new) -> bool:
    """Whether an imported or corrected value equals the stored one (geometries to 1e-9 degrees, records by key)."""
    if isinstance(old, GEOSGeometry) or isinstance(new, GEOSGeometry):
        if old is None or new is None:
            return old is new
        return old.equals_exact(new, tolerance=1e-9)
    if hasattr(old, "pk") or hasattr(new, "pk"):
        return getattr(old, "pk", None) == getattr(new, "pk", None)
    return old == new


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def export(rows, fmt) -> tuple[bytes, str]:
    """The rows as a file: ``(content, extension)``, XLSX or CSV."""
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("findings")
        for row in rows:
            sheet.append(spreadsheet.row(row))
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue(), "xlsx"
    buffer = io.StringIO()
    csv.writer(buffer).writerows(spreadsheet.row(row) for row in rows)
    # With a BOM so that Excel on Chinese Windows opens it as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8"), "csv"
