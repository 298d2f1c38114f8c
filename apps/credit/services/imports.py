"""Import of other departments' credit records (CSV/XLSX) with lineage: one batch per file, row by row, idempotent.

Each row becomes a record of kind ``imported`` whose ``source_ref`` is the department and its own record number, so
importing the same file (or an overlapping one) again brings nothing twice: the row counts as already imported.
"""
import hashlib

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.credit import tabular
from apps.credit.models import CreditImportBatch
from apps.credit.policy import may_import
from apps.credit.services.records import MAX_ABS_WEIGHT, record_imported
from apps.gbcp.audit import acting_as
from apps.gbcp.errors import ApplicationError
from apps.gbcp.models import Entity
from apps.gbcp.validators import is_valid_uscc, normalise_uscc

MAX_REF = 128
# Row errors are stored by code (data) and worded in the reader's language on display (``row_error_rows``).
ROW_ERRORS = {
    "invalid_uscc": gettext_lazy("Not a valid unified social credit code."),
    "unknown_uscc": gettext_lazy("No business with this unified social credit code."),
    "record_id_required": gettext_lazy("The record number is missing."),
    "invalid_date": gettext_lazy("Not a date (use YYYY-MM-DD)."),
    "date_required": gettext_lazy("The date is missing."),
    "expires_before_occurred": gettext_lazy("The record expires before it occurred."),
    "invalid_weight": gettext_lazy("The weight is not a whole number."),
    "weight_out_of_range": gettext_lazy("A weight lies between -100 and 100."),
}


def import_source_ref(department: str, record_id: str) -> str:
    """``import:<department>:<their record id>``; a longer one is shortened to its SHA-256 so it stays unique."""
    ref = f"import:{department}:{record_id}"
    if len(ref) <= MAX_REF:
        return ref
    return "import:sha256:" + hashlib.sha256(ref.encode("utf-8")).hexdigest()


def _row_error(errors, number, code, value=""):
    errors.append({"row": number, "code": code, "value": str(value)[:64]})


def row_error_rows(errors) -> list[dict]:
    """The stored row errors with their message in the active language."""
    return [{**e, "message": str(ROW_ERRORS.get(e.get("code"), e.get("code")))} for e in errors or []]


@transaction.atomic
def credit_import(*, user, department: str, file_name: str, data: bytes) -> CreditImportBatch:
    """Read the file, record each good row, report each bad one; ``user=None`` is the system (the command)."""
    if user is not None and not may_import(user):
        raise ApplicationError(_("Only legal reviewers, leaders and administrators import credit records."), code="import_not_allowed",
                               status_code=403)
    department = (department or "").strip()
    if not department:
        raise ApplicationError(_("Name the department the records come from."), code="department_required")
    rows = tabular.read_rows(data, file_name)
    codes = {normalise_uscc(tabular.text(values.get("uscc"))) for _n, values in rows}
    entities = {e.uscc: e for e in Entity.objects.filter(uscc__in=codes).select_related("region")}
    with acting_as(user):
        batch = CreditImportBatch.objects.create(department=department[:128], file_name=(file_name or "")[:255],
                                                 sha256=hashlib.sha256(data).hexdigest(), created_by=user, rows_total=len(rows))
    errors, created, existing, seen = [], 0, 0, set()
    for number, values in rows:
        raw_code = tabular.text(values.get("uscc"))
        code = normalise_uscc(raw_code)
        record_id = tabular.text(values.get("record_id"))
        if not is_valid_uscc(code):
            _row_error(errors, number, "invalid_uscc", raw_code)
            continue
        entity = entities.get(code)
        if entity is None:
            _row_error(errors, number, "unknown_uscc", code)
            continue
        if not record_id:
            _row_error(errors, number, "record_id_required")
            continue
        try:
            occurred_on = tabular.day(values.get("occurred_on"))
            expires_on = tabular.day(values.get("expires_on"))
        except ValueError as exc:
            _row_error(errors, number, "invalid_date", exc)
            continue
        if occurred_on is None:
            _row_error(errors, number, "date_required")
            continue
        if expires_on is not None and expires_on <= occurred_on:
            _row_error(errors, number, "expires_before_occurred", expires_on)
            continue
        try:
            weight = tabular.whole_number(values.get("weight"))
        except ValueError:
            _row_error(errors, number, "invalid_weight", values.get("weight"))
            continue
        if abs(weight) > MAX_ABS_WEIGHT:
            _row_error(errors, number, "weight_out_of_range", weight)
            continue
        ref = import_source_ref(department, record_id)
        record = record_imported(user=user, entity=entity, source_ref=ref, department=department,
                                 weight=weight, occurred_on=occurred_on, expires_on=expires_on, reason=tabular.text(values.get("reason")),
                                 import_batch=batch, source_row=number)
        if record.import_batch_id == batch.pk and ref not in seen:
            created += 1
            seen.add(ref)
        else:
            existing += 1
    with acting_as(user):
        batch.rows_created, batch.rows_existing, batch.rows_failed, batch.errors = created, existing, len(errors), errors
        batch.save(update_fields=["rows_created", "rows_existing", "rows_failed", "errors"])
    return batch
