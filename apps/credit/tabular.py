"""The small reader of other departments' credit files: CSV (UTF-8 with or without BOM, else GB18030) or XLSX, first sheet.

Rows come back keyed by canonical column names (headers in Chinese or English, see ``HEADERS``; docs/CREDIT.md),
each with its row number in the file, so errors name the row a clerk sees in a spreadsheet program.
"""
import csv
import datetime as dt
import io
import re

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from apps.gbcp.errors import ApplicationError

HEADERS = {
    "uscc": ("统一社会信用代码", "信用代码", "uscc"),
    "record_id": ("记录编号", "信用记录编号", "编号", "record_id", "id"),
    "occurred_on": ("认定日期", "记录日期", "日期", "occurred_on", "date"),
    "weight": ("分值", "扣分", "weight", "points"),
    "expires_on": ("有效期至", "失效日期", "expires_on"),
    "reason": ("事由", "失信事由", "内容", "reason"),
}
REQUIRED = ("uscc", "record_id", "occurred_on", "weight")
MAX_ROWS = 20000


def _key(header) -> str:
    return re.sub(r"\s+", "", str(header or "")).lower()


_LOOKUP = {_key(h): name for name, headers in HEADERS.items() for h in headers}


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def _raw_rows(data: bytes, file_name: str):
    if file_name.lower().endswith(".xlsx"):
        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
            raise ApplicationError(_("The file is not a readable XLSX workbook."), code="unreadable_file") from exc
        return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    try:
        text = _decode(data)
    except UnicodeDecodeError as exc:
        raise ApplicationError(_("The file is neither UTF-8 nor GB18030 text."), code="unreadable_file") from exc
    return list(csv.reader(io.StringIO(text)))


def read_rows(data: bytes, file_name: str) -> list[tuple[int, dict]]:
    """[(row number, {column: value})] of the non-empty rows after the header; a missing required column is an error."""
    raw = _raw_rows(data, file_name)
    if not raw:
        raise ApplicationError(_("The file is empty."), code="empty_file")
    columns = [_LOOKUP.get(_key(h)) for h in raw[0]]
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        raise ApplicationError(_("Columns missing: %(names)s.") % {"names": ", ".join(HEADERS[m][0] for m in missing)}, code="missing_columns")
    if len(raw) - 1 > MAX_ROWS:
        raise ApplicationError(_("At most %(n)s rows per file.") % {"n": MAX_ROWS}, code="too_many_rows")
    rows = []
    for number, values in enumerate(raw[1:], start=2):
        if all(v is None or str(v).strip() == "" for v in values):
            continue
        rows.append((number, {name: values[i] for i, name in enumerate(columns) if name and i < len(values)}))
    return rows


def text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def day(value) -> dt.date | None:
    """A date cell: a spreadsheet date, or 2026-05-01, 2026/5/1, 20260501; empty is None; anything else ValueError."""
    if value is None or text(value) == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raw = text(value)
    for pattern in ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y.%m.%d"):
        try:
            return dt.datetime.strptime(raw, pattern).date()
        except ValueError:
            continue
    raise ValueError(raw)


def whole_number(value) -> int:
    raw = text(value)
    if isinstance(value, float) and not value.is_integer():
        raise ValueError(raw)
    return int(raw)
