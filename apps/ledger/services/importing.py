"""Importing a department's file with lineage: one batch per distinct file, each row created, updated or reported."""
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.gbcp.audit import acting_as
from apps.gbcp.errors import ApplicationError
from apps.ledger import imports
from apps.ledger.models import SourceBatch
from apps.ledger.policy import own_area, require
from apps.ledger.services._common import covers, same, sha256
from apps.ledger.services.ground import GroundImporter
from apps.ledger.services.rows import RowInvalid, RowParser


GROUND_KINDS = ("entities", "places")


@dataclass
class RowError:
    row: int
    code: str
    message: str

    def as_dict(self):
        return {"row": self.row, "code": self.code, "message": self.message}


@dataclass
class ImportReport:
    kind: str
    file_name: str
    sha256: str
    batch: SourceBatch | None = None
    same_file_as: SourceBatch | None = None
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return len(self.errors)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self):
        return {
            "kind": self.kind, "file_name": self.file_name, "sha256": self.sha256,
            "batch": self.batch.pk if self.batch else None,
            "same_file_as": self.same_file_as.pk if self.same_file_as else None,
            "total": self.total, "created": self.created, "updated": self.updated,
            "unchanged": self.unchanged, "failed": self.failed, "errors": [e.as_dict() for e in self.errors],
        }

    def lines(self):
        """The report as text lines (the command prints them)."""
        yield _("%(kind)s from %(file)s: %(total)d rows, %(created)d created, %(updated)d updated, %(unchanged)d unchanged, %(failed)d failed") % {
            "kind": self.kind, "file": self.file_name, "total": self.total, "created": self.created,
            "updated": self.updated, "unchanged": self.unchanged, "failed": self.failed,
        }
        if self.same_file_as is not None:
            yield _("This file was imported before (batch %(batch)d, %(when)s).") % {
                "batch": self.same_file_as.pk, "when": timezone.localtime(self.same_file_as.imported_at).strftime("%Y-%m-%d %H:%M")
            }
        for error in self.errors:
            yield _("row %(row)d: %(message)s") % {"row": error.row, "message": error.message}


def _upsert(user, parsed, batch, number) -> str:
    """A ledger record (licence, zone, key point) by its natural key; "created", "updated" or "unchanged"."""
    model, key, values = parsed
    existing = model.objects.filter(**key).first()
    if existing is None:
        model.objects.create(**key, **values, source_batch=batch, source_row=number)
        return "created"
    if all(same(getattr(existing, k), v) for k, v in values.items()):
        return "unchanged"
    if not covers(user, existing.region_code):
        raise RowInvalid("outside_jurisdiction", _("The record lies outside your jurisdiction."))
    for k, v in values.items():
        setattr(existing, k, v)
    existing.source_batch, existing.source_row = batch, number
    existing.save()
    return "updated"


def ledger_import(*, user, kind, file, department, progress=None, file_name=None) -> ImportReport:
    """Import a CSV or XLSX file of ``kind`` (licences, zones, key_points, entities, places) from a source department.

    Valid rows are created or updated (natural keys: kind+number, code); unchanged rows stay as they are
    with their first lineage; invalid rows are reported with their row number and reason. An identical
    file (same SHA-256) is recognised and adds no batch. ``progress(done, total)`` is called as rows go.
    """
    if kind not in imports.COLUMNS:
        raise ApplicationError(_("Unknown import kind: %(kind)s") % {"kind": kind}, code="unknown_kind")
    department = (department or "").strip()
    if not department:
        raise ApplicationError(_("Name the source department."), code="missing_department")
    require(user=user, step="import", subject=own_area(user))
    data = file.read() if hasattr(file, "read") else bytes(file)
    name = file_name or getattr(file, "name", "") or "upload"
    name = name.rsplit("/", 1)[-1]
    digest = sha256(data)
    report = ImportReport(kind=kind, file_name=name, sha256=digest)
    try:
        rows = imports.rows_of(kind, name, data)
    except imports.FileError as exc:
        raise ApplicationError(str(exc), code="unreadable_file") from exc
    report.total = len(rows)
    report.same_file_as = SourceBatch.objects.filter(kind=kind, file_sha256=digest).order_by("imported_at").first()
    # Entities and places are the GBCP's own: created and changed through its services (services/ground.py).
    ground = getattr(GroundImporter(user=user, department=department), kind) if kind in GROUND_KINDS else None
    parse = getattr(RowParser(user=user, kind=kind, department=department), kind) if ground is None else None
    with transaction.atomic(), acting_as(user):
        batch = report.same_file_as
        if batch is None:
            batch = SourceBatch.objects.create(
                department=department, kind=kind, file_name=name[:255], file_sha256=digest,
                imported_by=user if getattr(user, "pk", None) else None,
            )
        for done, (number, row) in enumerate(rows, start=1):
            try:
                with transaction.atomic():
                    outcome = ground(row, batch, number) if ground is not None else _upsert(user, parse(row), batch, number)
                setattr(report, outcome, getattr(report, outcome) + 1)
            except RowInvalid as exc:
                report.errors.append(RowError(row=number, code=exc.code, message=str(exc.message)))
            except ApplicationError as exc:  # e.g. a new holder the GBCP service refuses
                report.errors.append(RowError(row=number, code=exc.code, message=str(exc.message)))
            except DjangoValidationError as exc:
                report.errors.append(RowError(row=number, code="invalid_row", message="; ".join(exc.messages)))
            if progress is not None:
                progress(done, report.total)
        if report.same_file_as is None:
            batch.rows_total, batch.rows_created, batch.rows_updated = report.total, report.created, report.updated
            batch.rows_unchanged, batch.rows_failed = report.unchanged, report.failed
            batch.errors = [e.as_dict() for e in report.errors]
            batch.save()
        report.batch = batch
    return report

