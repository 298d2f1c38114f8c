"""The export of one person's data on request (个人信息查阅复制, PIPL art. 45): every registered field, across apps.

The data-protection officer searches by resident ID number or phone; each declaration's ``match`` says which of its
fields hold them. The answer is unmasked (it is the person's own data, handed to them) and the search is logged.
"""
import io
import json

from django.db.models import Q
from django.utils import timezone
from openpyxl import Workbook

from apps.gbcp.masking import Clearance, mask
from apps.gbcp.privacy import access, registry
from apps.gbcp.spreadsheet import row as sheet_row

ROWS_PER_RECORD_KIND = 1000


def _plain(value):
    if value is None:
        return ""
    return value if isinstance(value, (str, int, float, bool)) else str(value)


def subject_data(*, id_number="", phone="") -> list[dict]:
    """Every registered record that holds ``id_number`` or ``phone`` in a field its declaration matches on."""
    wanted = {"id_number": (id_number or "").strip().upper(), "phone": (phone or "").replace(" ", "").strip()}
    found = []
    for item in registry.declarations():
        condition = Q()
        for kind, lookup in item.match.items():
            if wanted.get(kind):
                condition |= Q(**{lookup: wanted[kind]})
        if not condition:
            continue
        model = item.model_class()
        for obj in model._default_manager.filter(condition).order_by("pk")[:ROWS_PER_RECORD_KIND]:
            _, pk, label = access.subject_of(obj)
            found.append({
                "record": item.key, "kind": str(model._meta.verbose_name), "id": pk, "label": label, "subject": str(item.subject),
                "data": {str(model._meta.get_field(p.name).verbose_name): _plain(getattr(obj, p.name)) for p in item.fields},
            })
    return found


def query_label(*, id_number="", phone="") -> str:
    """The search as the access log shows it: masked like the public sees it."""
    parts = []
    if id_number:
        parts.append(mask("id_number", id_number, Clearance.PUBLIC))
    if phone:
        parts.append(mask("phone", phone, Clearance.PUBLIC))
    return " / ".join(parts)


def subject_export(*, user, id_number="", phone="", purpose="privacy-export", path="", client_ip=None) -> dict:
    """The person's data with the time it was taken; the read is logged under the masked search."""
    records = subject_data(id_number=id_number, phone=phone)
    access.log_access(
        user=user, subject_type="privacy.subject", subject_id="", label=query_label(id_number=id_number, phone=phone),
        what=sorted({r["record"] for r in records}) or ["(none)"], purpose=purpose, path=path, client_ip=client_ip,
    )
    return {"exported_at": timezone.now().isoformat(), "records": records}


def as_json(export: dict) -> bytes:
    return json.dumps(export, ensure_ascii=False, indent=2).encode("utf-8")


def as_xlsx(export: dict, headers: tuple[str, ...]) -> bytes:
    """One row per field of each record: record kind, id, label, whose, field, value (text cells never run)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("data")
    sheet.append(list(headers))
    for record in export["records"]:
        for name, value in record["data"].items():
            sheet.append(sheet_row([record["kind"], record["id"], record["label"], record["subject"], name, value]))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
