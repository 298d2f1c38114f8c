"""Reading import files (CSV in UTF-8 or GB18030, XLSX) into rows keyed by canonical column names, and parsing cells."""
import csv
import datetime as dt
import io
import re

from django.utils.translation import gettext as _

# Canonical column → accepted headers (compared lower-cased, spaces removed). Documented in docs/LEDGER.md.
COLUMNS = {
    "licences": {
        "kind": ["证照类型", "证照种类", "kind", "licence_kind"],
        "number": ["证照编号", "许可证编号", "number", "licence_number"],
        "holder_uscc": ["持证主体统一社会信用代码", "统一社会信用代码", "holder_uscc", "uscc"],
        "holder_name": ["持证主体名称", "持证主体", "holder_name", "holder"],
        "place_code": ["城市码", "place_code", "city_code"],
        "lon": ["经度", "lon", "lng", "longitude"],
        "lat": ["纬度", "lat", "latitude"],
        "department": ["发证部门", "发证机关", "department", "issuing_department"],
        "valid_from": ["有效期起", "有效期自", "valid_from"],
        "valid_to": ["有效期止", "有效期至", "valid_to"],
        "status": ["状态", "证照状态", "status"],
    },
    "zones": {
        "code": ["门前三包编号", "编号", "code"],
        "place_code": ["城市码", "place_code", "city_code"],
        "lon": ["经度", "lon", "lng", "longitude"],
        "lat": ["纬度", "lat", "latitude"],
        "duties": ["责任内容", "三包内容", "duties"],
        "responsible_name": ["责任人", "responsible_name", "responsible_person"],
        "responsible_phone": ["联系电话", "责任人电话", "responsible_phone", "phone"],
        "responsible_uscc": ["责任单位统一社会信用代码", "responsible_uscc"],
        "zone_wkt": ["责任区范围", "范围", "zone_wkt", "zone"],
    },
    "key_points": {
        "code": ["点位编号", "编号", "code"],
        "name": ["点位名称", "名称", "name"],
        "reason": ["列管原因", "原因", "reason"],
        "interval_days": ["巡查间隔天数", "巡查间隔", "interval_days"],
        "place_code": ["城市码", "place_code", "city_code"],
        "lon": ["经度", "lon", "lng", "longitude"],
        "lat": ["纬度", "lat", "latitude"],
        "area_wkt": ["区域范围", "范围", "area_wkt", "area"],
        "active_from": ["生效日期", "起始日期", "active_from"],
        "active_to": ["失效日期", "截止日期", "active_to"],
    },
    "entities": {
        "uscc": ["统一社会信用代码", "信用代码", "uscc"],
        "name": ["主体名称", "单位名称", "企业名称", "名称", "name"],
        "kind": ["主体类型", "类型", "kind"],
        "legal_representative": ["法定代表人", "负责人", "经营者", "legal_representative"],
        "contact_phone": ["联系电话", "电话", "contact_phone", "phone"],
        "address": ["住所", "注册地址", "地址", "address"],
        "region_code": ["所属区划代码", "区划代码", "region_code"],
    },
    "places": {
        "place_code": ["城市码", "place_code", "city_code"],
        "external_id": ["来源编号", "场所编号", "部门编号", "external_id"],
        "name": ["场所名称", "名称", "name"],
        "kind": ["场所类型", "类型", "kind"],
        "space": ["空间类型", "空间", "space"],
        "lon": ["经度", "lon", "lng", "longitude"],
        "lat": ["纬度", "lat", "latitude"],
        "crs": ["坐标系", "crs", "coordinate_system"],
        "address": ["地址", "场所地址", "address"],
        "operator_uscc": ["经营主体统一社会信用代码", "统一社会信用代码", "operator_uscc", "uscc"],
    },
}
REQUIRED = {
    "licences": ["kind", "number", "valid_to"],
    "zones": ["code", "duties"],
    "key_points": ["code", "name", "reason", "interval_days"],
    "entities": ["uscc", "name"],
    "places": ["name", "kind"],
}


class FileError(ValueError):
    """The file as a whole cannot be read (not a row problem)."""


def _norm(header) -> str:
    return re.sub(r"\s+", "", str(header or "")).lstrip("\ufeff").lower()


def header_map(kind: str, headers) -> dict[int, str]:
    aliases = {_norm(a): canon for canon, names in COLUMNS[kind].items() for a in names}
    mapping = {}
    for index, header in enumerate(headers):
        canon = aliases.get(_norm(header))
        if canon and canon not in mapping.values():
            mapping[index] = canon
    missing = [c for c in REQUIRED[kind] if c not in mapping.values()]
    if missing:
        raise FileError(_("Missing columns: %(columns)s") % {"columns": ", ".join(missing)})
    return mapping


def decode_csv(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileError(_("The file is neither UTF-8 nor GB18030 text."))


def is_xlsx(name: str, data: bytes) -> bool:
    return name.lower().endswith(".xlsx") or data[:2] == b"PK"


def read_table(name: str, data: bytes) -> list[list]:
    """All rows including the header row, as lists of cell values."""
    if is_xlsx(name, data):
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises several kinds for a broken file
            raise FileError(_("The spreadsheet cannot be read.")) from exc
        try:
            sheet = workbook.worksheets[0]
            return [list(row) for row in sheet.iter_rows(values_only=True)]
        finally:
            workbook.close()
    return [row for row in csv.reader(io.StringIO(decode_csv(data)))]


def rows_of(kind: str, name: str, data: bytes):
    """(row number in the file, {canonical: cell}) for each non-empty data row; the header is row 1."""
    table = read_table(name, data)
    if not table:
        raise FileError(_("The file is empty."))
    mapping = header_map(kind, table[0])
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        if all(c is None or str(c).strip() == "" for c in cells):
            continue
        rows.append((number, {canon: cells[i] if i < len(cells) else None for i, canon in mapping.items()}))
    return rows


# --- cells ----------------------------------------------------------------------------------

def text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y.%m.%d", "%Y年%m月%d日")


def date_or_none(value):
    """A date from a cell; ``ValueError`` if the cell holds something that is not one."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raw = text(value)
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    raise ValueError(raw)


def number_or_none(value):
    if value is None or text(value) == "":
        return None
    return float(text(value))
