"""Every write of the ledger: imports with lineage, the comparison (比对) and its send-backs, corrections (纠错)."""
import csv
import datetime as dt
import hashlib
import io
import math
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError as DjangoValidationError
from django.contrib.gis.geos import GEOSException, GEOSGeometry, Point, Polygon
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.jurisdiction import covers_code, scope_filter
from apps.accounts.models import Role
from apps.gbcp import citycode
from apps.gbcp.audit import acting_as
from apps.gbcp.errors import ApplicationError, NotFound
from apps.gbcp.locate import locate
from apps.gbcp.masking import clearance_for, mask
from apps.gbcp.models import Entity, Organization, Place
from apps.gbcp.validators import is_valid_uscc
from apps.ledger import imports
from apps.ledger.selectors import correction_mask_kind
from apps.ledger.models import (
    ComparisonRun,
    Correction,
    Finding,
    FrontageZone,
    KeyPoint,
    Licence,
    LicenceKind,
    SendBack,
    SourceBatch,
)

NEAREST_PLACE_METRES = 30
# Roles that import, compare, send back and review corrections within their jurisdiction.
LEDGER_MANAGER_ROLES = {Role.ADMINISTRATOR, Role.DISPATCHER, Role.SQUAD_LEADER}
DEFAULT_FOOD_DEPARTMENT = "市场监督管理局"
DEFAULT_REGISTRATION_DEPARTMENT = "市场监督管理局"


def _require_manager(user, region_code=None):
    if user is None:  # commands and the demo run as the system
        return
    if not (user.is_authenticated and (user.is_superuser or user.has_role(*LEDGER_MANAGER_ROLES))):
        raise ApplicationError(_("Only ledger managers may do this."), code="permission_denied", status_code=403)
    if region_code is not None and not covers_code(user, region_code):
        raise NotFound()


def _covers(user, code) -> bool:
    return user is None or covers_code(user, code)


# --- imports ----------------------------------------------------------------------------------

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


class RowInvalid(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


def _metres(a: Point, b: Point) -> float:
    """Great-circle distance (haversine) in metres between two WGS-84 points."""
    lon1, lat1, lon2, lat2 = map(math.radians, (a.x, a.y, b.x, b.y))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371008.8 * math.asin(math.sqrt(h))


def nearest_place(point: Point, within_m: float = NEAREST_PLACE_METRES):
    """The nearest active place within ``within_m`` metres: a bounding box from the spatial index, then exact distance."""
    dlat = within_m / 111_000
    dlon = within_m / (111_000 * max(math.cos(math.radians(point.y)), 0.01))
    box = Polygon.from_bbox((point.x - dlon, point.y - dlat, point.x + dlon, point.y + dlat))
    box.srid = 4326
    candidates = Place.objects.filter(point__within=box, is_active=True).select_related("region", "operator")
    best = min(((_metres(point, p.point), p) for p in candidates), default=None, key=lambda t: t[0])
    if best is None or best[0] > within_m:
        return None
    return best[1]


def _place_of(row, *, required=True):
    code = imports.text(row.get("place_code")).upper()
    if code:
        if not citycode.is_valid(code):
            raise RowInvalid("invalid_city_code", _("“%(code)s” is not a valid city code (check character).") % {"code": code})
        place = Place.objects.select_related("region", "operator").filter(city_code=code).first()
        if place is None:
            raise RowInvalid("unknown_place", _("No place has the city code %(code)s.") % {"code": code})
        return place
    try:
        lon, lat = imports.number_or_none(row.get("lon")), imports.number_or_none(row.get("lat"))
    except ValueError:
        raise RowInvalid("invalid_coordinates", _("Longitude and latitude must be numbers.")) from None
    if lon is None or lat is None:
        if required:
            raise RowInvalid("no_place", _("Give the place's city code, or its longitude and latitude."))
        return None
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise RowInvalid("invalid_coordinates", _("Longitude and latitude are out of range."))
    point = Point(lon, lat, srid=4326)
    if not locate(point).found:
        raise RowInvalid("outside_city", _("The point (%(lon)s, %(lat)s) lies outside the city.") % {"lon": lon, "lat": lat})
    place = nearest_place(point)
    if place is None:
        raise RowInvalid("no_place_nearby", _("No place lies within %(m)d m of (%(lon)s, %(lat)s).") % {"m": NEAREST_PLACE_METRES, "lon": lon, "lat": lat})
    return place


def _date(row, key, label):
    try:
        return imports.date_or_none(row.get(key))
    except ValueError:
        raise RowInvalid("invalid_date", _("%(column)s is not a date: “%(value)s”.") % {"column": label, "value": imports.text(row.get(key))}) from None


def _polygon(row, key):
    raw = imports.text(row.get(key))
    if not raw:
        return None
    try:
        geometry = GEOSGeometry(raw, srid=4326)
    except (GEOSException, ValueError):
        raise RowInvalid("invalid_geometry", _("The area is not a WKT polygon.")) from None
    if geometry.geom_type != "Polygon" or not geometry.valid:
        raise RowInvalid("invalid_geometry", _("The area is not a WKT polygon."))
    if not locate(geometry.centroid).found:
        raise RowInvalid("outside_city", _("The area lies outside the city."))
    return geometry


def _square_around(point: Point, half_m: float) -> Polygon:
    dlat = half_m / 111_000
    dlon = half_m / (111_000 * math.cos(math.radians(point.y)))
    polygon = Polygon.from_bbox((point.x - dlon, point.y - dlat, point.x + dlon, point.y + dlat))
    polygon.srid = 4326
    return polygon


LICENCE_STATUS_WORDS = {
    "": Licence.Status.ACTIVE, "有效": Licence.Status.ACTIVE, "正常": Licence.Status.ACTIVE, "active": Licence.Status.ACTIVE,
    "暂停": Licence.Status.SUSPENDED, "中止": Licence.Status.SUSPENDED, "suspended": Licence.Status.SUSPENDED,
    "吊销": Licence.Status.REVOKED, "撤销": Licence.Status.REVOKED, "注销": Licence.Status.REVOKED, "revoked": Licence.Status.REVOKED,
    "过期": Licence.Status.EXPIRED, "失效": Licence.Status.EXPIRED, "expired": Licence.Status.EXPIRED,
}
DUTY_WORDS = {
    "市容": FrontageZone.Duty.APPEARANCE, "appearance": FrontageZone.Duty.APPEARANCE,
    "环境卫生": FrontageZone.Duty.SANITATION, "卫生": FrontageZone.Duty.SANITATION, "sanitation": FrontageZone.Duty.SANITATION,
    "秩序": FrontageZone.Duty.ORDER, "order": FrontageZone.Duty.ORDER,
    "绿化": FrontageZone.Duty.GREENERY, "greenery": FrontageZone.Duty.GREENERY,
}


class _Importer:
    def __init__(self, *, user, kind, department):
        self.user = user
        self.kind = kind
        self.department = department
        self.kinds = {}
        for licence_kind in LicenceKind.objects.all():
            self.kinds[licence_kind.code.lower()] = licence_kind
            self.kinds[licence_kind.name.lower()] = licence_kind
            if licence_kind.name_en:
                self.kinds[licence_kind.name_en.lower()] = licence_kind
        self.organizations = {o.name: o for o in Organization.objects.only("id", "name")}

    def _scope(self, region_code):
        if not _covers(self.user, region_code):
            raise RowInvalid("outside_jurisdiction", _("The record lies outside your jurisdiction."))

    # Each returns (model, natural key dict, values dict).
    def licences(self, row):
        kind = self.kinds.get(imports.text(row.get("kind")).lower())
        if kind is None:
            raise RowInvalid("unknown_kind", _("Unknown licence kind “%(kind)s”.") % {"kind": imports.text(row.get("kind"))})
        number = imports.text(row.get("number"))
        if not number:
            raise RowInvalid("missing_number", _("The licence number is missing."))
        valid_from = _date(row, "valid_from", _("valid from"))
        valid_to = _date(row, "valid_to", _("valid to"))
        if valid_to is None:
            raise RowInvalid("missing_date", _("The end of validity is missing."))
        if valid_from and valid_from > valid_to:
            raise RowInvalid("date_order", _("The licence ends before it starts."))
        status_word = imports.text(row.get("status")).lower()
        if status_word not in LICENCE_STATUS_WORDS:
            raise RowInvalid("unknown_status", _("Unknown status “%(status)s”.") % {"status": status_word})
        place = _place_of(row, required=False)
        holder = None
        uscc = imports.text(row.get("holder_uscc")).upper()
        if uscc:
            if not is_valid_uscc(uscc):
                raise RowInvalid("invalid_uscc", _("“%(value)s” is not a valid unified social credit code (GB 32100-2015 check character).") % {"value": uscc})
            holder = Entity.objects.select_related("region").filter(uscc=uscc).first()
            if holder is None:
                name = imports.text(row.get("holder_name"))
                if not name:
                    raise RowInvalid("unknown_holder", _("No entity has the code %(uscc)s; give the holder's name to add it.") % {"uscc": uscc})
                holder = ("new", name, uscc)
        region_code = place.region.code if place else (holder.region.code if isinstance(holder, Entity) and holder.region_id else "")
        if not region_code:
            raise RowInvalid("no_place", _("Give the place's city code, or its longitude and latitude."))
        self._scope(region_code)
        if isinstance(holder, tuple):
            from apps.gbcp import services as gbcp_services

            holder = gbcp_services.entity_create(user=self.user, name=holder[1], uscc=holder[2], region=place.region if place else None)
        department = imports.text(row.get("department")) or self.department
        values = {
            "holder": holder, "place": place, "valid_from": valid_from, "valid_to": valid_to,
            "status": LICENCE_STATUS_WORDS[status_word], "issuing_department": department,
            "issuing_organization": self.organizations.get(department), "region_code": region_code,
        }
        return Licence, {"kind": kind, "number": number}, values

    def zones(self, row):
        code = imports.text(row.get("code"))
        if not code:
            raise RowInvalid("missing_code", _("The code is missing."))
        place = _place_of(row)
        self._scope(place.region.code)
        duties = []
        for word in imports.text(row.get("duties")).replace("，", "、").replace(",", "、").replace(";", "、").replace("；", "、").replace("/", "、").split("、"):
            word = word.strip()
            if not word:
                continue
            duty = DUTY_WORDS.get(word.lower())
            if duty is None:
                raise RowInvalid("unknown_duty", _("Unknown duty “%(duty)s”.") % {"duty": word})
            if duty not in duties:
                duties.append(duty.value)
        if not duties:
            raise RowInvalid("missing_duties", _("Name at least one duty (市容, 环境卫生, 秩序, 绿化)."))
        phone = imports.text(row.get("responsible_phone"))
        if phone:
            from django.core.exceptions import ValidationError

            from apps.gbcp.validators import validate_phone

            try:
                validate_phone(phone)
            except ValidationError:
                raise RowInvalid("invalid_phone", _("“%(phone)s” is not a phone number.") % {"phone": phone}) from None
        entity = place.operator
        uscc = imports.text(row.get("responsible_uscc")).upper()
        if uscc:
            if not is_valid_uscc(uscc):
                raise RowInvalid("invalid_uscc", _("“%(value)s” is not a valid unified social credit code (GB 32100-2015 check character).") % {"value": uscc})
            entity = Entity.objects.filter(uscc=uscc).first()
            if entity is None:
                raise RowInvalid("unknown_holder", _("No entity has the code %(uscc)s.") % {"uscc": uscc})
        zone = _polygon(row, "zone_wkt") or _square_around(place.point, 8)
        values = {
            "place": place, "zone": zone, "duties": duties, "responsible_name": imports.text(row.get("responsible_name")),
            "responsible_phone": phone, "responsible_entity": entity, "region_code": place.region.code,
        }
        return FrontageZone, {"code": code}, values

    def key_points(self, row):
        code = imports.text(row.get("code"))
        name = imports.text(row.get("name"))
        reason = imports.text(row.get("reason"))
        if not (code and name and reason):
            raise RowInvalid("missing_value", _("Code, name and reason are required."))
        try:
            interval = int(float(imports.text(row.get("interval_days"))))
        except ValueError:
            interval = 0
        if not 1 <= interval <= 366:
            raise RowInvalid("invalid_interval", _("The inspection interval must be 1 to 366 days."))
        active_from = _date(row, "active_from", _("active from"))
        active_to = _date(row, "active_to", _("active to"))
        if active_from and active_to and active_from > active_to:
            raise RowInvalid("date_order", _("The key point ends before it starts."))
        area = _polygon(row, "area_wkt")
        place = _place_of(row, required=area is None)
        if place is not None:
            region_code = place.region.code
        else:
            region_code = locate(area.centroid).region.code
        self._scope(region_code)
        values = {
            "name": name, "reason": reason, "interval_days": interval, "active_from": active_from, "active_to": active_to,
            "place": place, "area": area, "region_code": region_code,
        }
        return KeyPoint, {"code": code}, values


def _same(old, new) -> bool:
    if isinstance(old, GEOSGeometry) or isinstance(new, GEOSGeometry):
        if old is None or new is None:
            return old is new
        return old.equals_exact(new, tolerance=1e-9)
    if hasattr(old, "pk") or hasattr(new, "pk"):
        return getattr(old, "pk", None) == getattr(new, "pk", None)
    return old == new


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def ledger_import(*, user, kind, file, department, progress=None, file_name=None) -> ImportReport:
    """Import a CSV or XLSX file of ``kind`` (licences, zones, key_points) from a source department.

    Valid rows are created or updated (natural keys: kind+number, code); unchanged rows stay as they are
    with their first lineage; invalid rows are reported with their row number and reason. An identical
    file (same SHA-256) is recognised and adds no batch. ``progress(done, total)`` is called as rows go.
    """
    if kind not in imports.COLUMNS:
        raise ApplicationError(_("Unknown import kind: %(kind)s") % {"kind": kind}, code="unknown_kind")
    department = (department or "").strip()
    if not department:
        raise ApplicationError(_("Name the source department."), code="missing_department")
    _require_manager(user)
    data = file.read() if hasattr(file, "read") else bytes(file)
    name = file_name or getattr(file, "name", "") or "upload"
    name = name.rsplit("/", 1)[-1]
    digest = _sha256(data)
    report = ImportReport(kind=kind, file_name=name, sha256=digest)
    try:
        rows = imports.rows_of(kind, name, data)
    except imports.FileError as exc:
        raise ApplicationError(str(exc), code="unreadable_file") from exc
    report.total = len(rows)
    report.same_file_as = SourceBatch.objects.filter(kind=kind, file_sha256=digest).order_by("imported_at").first()
    importer = _Importer(user=user, kind=kind, department=department)
    parse = getattr(importer, kind)
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
                    model, key, values = parse(row)
                    existing = model.objects.filter(**key).first()
                    if existing is None:
                        model.objects.create(**key, **values, source_batch=batch, source_row=number)
                        report.created += 1
                    elif all(_same(getattr(existing, k), v) for k, v in values.items()):
                        report.unchanged += 1
                    else:
                        if not _covers(user, existing.region_code):
                            raise RowInvalid("outside_jurisdiction", _("The record lies outside your jurisdiction."))
                        for k, v in values.items():
                            setattr(existing, k, v)
                        existing.source_batch, existing.source_row = batch, number
                        existing.save()
                        report.updated += 1
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


# --- comparison (比对) ------------------------------------------------------------------------

def _finding_scope(user, region_code):
    q = Q()
    if region_code:
        q &= Q(region__code__startswith=region_code)
    if user is not None:
        q &= scope_filter(user, "region__code")
    return q


def comparison_run(*, user, region_code=None, today=None) -> ComparisonRun:
    """Run the cross-check rules over the places and licences of a region (default: the user's jurisdiction).

    A finding whose subject is already open (or sent back) is kept, not duplicated; open findings whose
    condition no longer holds are resolved.
    """
    _require_manager(user, region_code)
    today = today or timezone.localdate()
    place_q = _finding_scope(user, region_code)
    licence_q = Q(**({"region_code__startswith": region_code} if region_code else {}))
    if user is not None:
        licence_q &= scope_filter(user, "region_code")
    food = LicenceKind.objects.filter(code=LicenceKind.FOOD).first()
    with transaction.atomic(), acting_as(user):
        run = ComparisonRun.objects.create(started_by=user if getattr(user, "pk", None) else None, region_code=region_code or "")
        wanted: dict[str, dict] = {}

        restaurants = Place.objects.filter(place_q, kind=Place.Kind.RESTAURANT, is_active=True).select_related("region")
        valid_food = set()
        food_departments = {}
        if food is not None:
            food_licences = Licence.objects.filter(kind=food, place__in=restaurants).select_related("source_batch", "issuing_organization")
            for licence in food_licences:
                if licence.is_valid_on(today):
                    valid_food.add(licence.place_id)
                food_departments.setdefault(licence.place_id, licence.source_department or licence.department_name)
        for place in restaurants:
            if place.pk in valid_food:
                continue
            wanted[f"food:{place.pk}"] = dict(
                rule=Finding.Rule.RESTAURANT_WITHOUT_FOOD_LICENCE, place=place, entity_id=place.operator_id,
                department=food_departments.get(place.pk) or DEFAULT_FOOD_DEPARTMENT, region_code=place.region.code,
                detail=_("%(place)s (%(code)s) has no valid food business licence.") % {"place": place.name, "code": place.city_code},
            )

        stale = Licence.objects.filter(licence_q, status=Licence.Status.ACTIVE, valid_to__lt=today).select_related(
            "kind", "source_batch", "issuing_organization"
        )
        for licence in stale:
            wanted[f"expired:{licence.pk}"] = dict(
                rule=Finding.Rule.EXPIRED_STILL_ACTIVE, licence=licence, place_id=licence.place_id, entity_id=licence.holder_id,
                department=licence.source_department or licence.department_name, region_code=licence.region_code,
                detail=_("%(kind)s %(number)s ended on %(date)s but is marked active.") % {
                    "kind": licence.kind.name, "number": licence.number, "date": licence.valid_to.isoformat()},
            )

        operated = Place.objects.filter(place_q, operator__isnull=False, is_active=True).select_related("operator", "region")
        for place in operated:
            if not is_valid_uscc(place.operator.uscc):
                wanted[f"uscc:{place.pk}"] = dict(
                    rule=Finding.Rule.INVALID_OPERATOR_USCC, place=place, entity_id=place.operator_id,
                    department=DEFAULT_REGISTRATION_DEPARTMENT, region_code=place.region.code,
                    detail=_("%(entity)s, operator of %(place)s, has the invalid code %(uscc)s.") % {
                        "entity": place.operator.name, "place": place.name, "uscc": place.operator.uscc},
                )

        mismatched = Licence.objects.filter(
            licence_q, status=Licence.Status.ACTIVE, holder__isnull=False, place__operator__isnull=False
        ).exclude(holder_id=F("place__operator_id")).select_related("kind", "holder", "place__operator", "source_batch", "issuing_organization")
        for licence in mismatched:
            wanted[f"holder:{licence.pk}"] = dict(
                rule=Finding.Rule.HOLDER_NOT_OPERATOR, licence=licence, place_id=licence.place_id, entity_id=licence.holder_id,
                department=licence.source_department or licence.department_name, region_code=licence.region_code,
                detail=_("%(kind)s %(number)s is held by %(holder)s, but %(place)s is operated by %(operator)s.") % {
                    "kind": licence.kind.name, "number": licence.number, "holder": licence.holder.name,
                    "place": licence.place.name, "operator": licence.place.operator.name},
            )

        unresolved = Finding.objects.exclude(status=Finding.Status.RESOLVED)
        if region_code:
            unresolved = unresolved.filter(region_code__startswith=region_code)
        if user is not None:
            unresolved = unresolved.filter(scope_filter(user, "region_code"))
        existing = {f.key: f for f in unresolved}
        for key, values in wanted.items():
            if key in existing:
                run.findings_open += 1
                continue
            Finding.objects.create(run=run, key=key, **values)
            run.findings_new += 1
        now = timezone.now()
        for key, finding in existing.items():
            if key not in wanted:
                finding.status, finding.resolved_at = Finding.Status.RESOLVED, now
                finding.save(update_fields=["status", "resolved_at"])
                run.findings_resolved += 1
        run.save()
    return run


FINDING_COLUMNS = ["finding_id", "rule", "detail", "place_city_code", "place_name", "licence_kind", "licence_number",
                   "entity_uscc", "entity_name", "region_code", "found_at"]
FINDING_HEADERS_ZH = ["问题编号", "规则", "说明", "城市码", "场所名称", "证照类型", "证照编号", "统一社会信用代码", "主体名称", "区划代码", "发现时间"]


def _findings_table(findings) -> list[list]:
    rows = [FINDING_HEADERS_ZH]
    for f in findings:
        rows.append([
            f.pk, f.get_rule_display(), f.detail, f.place.city_code if f.place else "", f.place.name if f.place else "",
            f.licence.kind.name if f.licence else "", f.licence.number if f.licence else "",
            f.entity.uscc if f.entity else "", f.entity.name if f.entity else "", f.region_code,
            timezone.localtime(f.created_at).strftime("%Y-%m-%d %H:%M"),
        ])
    return rows


def _export(rows, fmt) -> tuple[bytes, str]:
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("findings")
        for row in rows:
            sheet.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue(), "xlsx"
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    # With a BOM so that Excel on Chinese Windows opens it as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8"), "csv"


def finding_send_back(*, user, findings, department, fmt="csv") -> SendBack:
    """Export the findings for their source department and record that they were sent (who, when, file hash)."""
    _require_manager(user)
    department = (department or "").strip()
    if not department:
        raise ApplicationError(_("Name the department to send to."), code="missing_department")
    ids = [f.pk for f in findings]
    if not ids:
        raise ApplicationError(_("Choose at least one finding."), code="no_findings")
    qs = Finding.objects.filter(pk__in=ids).select_related("place", "licence__kind", "entity")
    if user is not None:
        qs = qs.filter(scope_filter(user, "region_code"))
    chosen = list(qs.order_by("id"))
    if len(chosen) != len(set(ids)):
        raise NotFound()
    if any(f.status == Finding.Status.RESOLVED for f in chosen):
        raise ApplicationError(_("Resolved findings are not sent back."), code="finding_resolved")
    content, ext = _export(_findings_table(chosen), fmt)
    now = timezone.now()
    codes = {f.region_code for f in chosen}
    region_code = codes.pop() if len(codes) == 1 else ""
    with transaction.atomic(), acting_as(user):
        send_back = SendBack.objects.create(
            kind=SendBack.Kind.FINDINGS, department=department, sent_at=now, sent_by=user if getattr(user, "pk", None) else None,
            file_name=f"ledger-findings-{timezone.localtime(now):%Y%m%d%H%M%S}.{ext}", file_sha256=_sha256(content), content=content,
            region_code=region_code or (chosen[0].region_code[:6] if chosen else ""),
        )
        send_back.findings.set(chosen)
        for finding in chosen:
            finding.status = Finding.Status.SENT_BACK
            finding.save(update_fields=["status"])
    return send_back


# --- corrections (纠错) -------------------------------------------------------------------------

CORRECTABLE_FIELDS = {
    Licence: {"number": "text", "valid_from": "date", "valid_to": "date", "status": "licence_status", "issuing_department": "text"},
    FrontageZone: {"responsible_name": "text", "responsible_phone": "phone", "is_active": "bool"},
    KeyPoint: {"name": "text", "reason": "text", "interval_days": "interval", "active_from": "date", "active_to": "date"},
    Place: {"name": "text", "address": "text"},
}
REVIEWER_ROLES = LEDGER_MANAGER_ROLES


def _region_of(target) -> str:
    if isinstance(target, Place):
        return target.region.code
    return target.region_code


def _department_of(target) -> str:
    if isinstance(target, Place):
        return ""
    return target.source_department or (target.department_name if isinstance(target, Licence) else "")


def _parse_value(kind, raw):
    raw = (raw or "").strip()
    if kind == "text":
        if not raw:
            raise ValueError(_("The value must not be empty."))
        return raw
    if kind == "date":
        value = imports.date_or_none(raw)
        if value is None:
            raise ValueError(_("Give a date."))
        return value
    if kind == "licence_status":
        if raw.lower() not in LICENCE_STATUS_WORDS or not raw:
            raise ValueError(_("Unknown status."))
        return LICENCE_STATUS_WORDS[raw.lower()]
    if kind == "phone":
        from django.core.exceptions import ValidationError

        from apps.gbcp.validators import validate_phone

        try:
            validate_phone(raw)
        except ValidationError:
            raise ValueError(_("Give a phone number.")) from None
        return raw
    if kind == "bool":
        if raw.lower() in {"1", "true", "yes", "是"}:
            return True
        if raw.lower() in {"0", "false", "no", "否"}:
            return False
        raise ValueError(_("Give yes or no."))
    if kind == "interval":
        value = int(raw)
        if not 1 <= value <= 366:
            raise ValueError(_("The inspection interval must be 1 to 366 days."))
        return value
    raise ValueError(kind)  # pragma: no cover - table above is closed


def _display(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def correction_report(*, user, target, field, proposed_value, reason) -> Correction:
    """Anyone signed in says a ledger record is wrong. Staff only for records in their jurisdiction
    (others get 404); citizens and merchants for any record they can name."""
    if user is None or not user.is_authenticated:
        raise ApplicationError(_("Sign in to report a correction."), code="not_authenticated", status_code=401)
    model = type(target)
    fields = CORRECTABLE_FIELDS.get(model)
    if fields is None:
        raise ApplicationError(_("This record cannot be corrected here."), code="not_correctable")
    region_code = _region_of(target)
    if user.is_staff_member() and not covers_code(user, region_code):
        raise NotFound()
    if field not in fields:
        raise ApplicationError(
            _("This field cannot be corrected: %(field)s") % {"field": field}, code="invalid_field",
            details={"field": [_("Choose one of: %(fields)s") % {"fields": ", ".join(fields)}]},
        )
    try:
        value = _parse_value(fields[field], proposed_value)
    except ValueError as exc:
        raise ApplicationError(str(exc) or _("The value is not valid."), code="invalid_value", details={"proposed_value": [str(exc)]}) from None
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("Say why the record is wrong."), code="missing_reason", details={"reason": [_("This field is required.")]})
    kind = correction_mask_kind(model_name=model._meta.model_name, field=field)
    current = _display(getattr(target, field))
    # "Already holds this value" would confirm a guess of data the proposer sees masked; say it only when they see it whole.
    if _same(getattr(target, field), value) and (kind is None or mask(kind, current, clearance_for(user)) == current):
        raise ApplicationError(_("The record already holds this value."), code="no_change")
    with transaction.atomic(), acting_as(user):
        return Correction.objects.create(
            target_type=ContentType.objects.get_for_model(model), target_id=target.pk, field=field,
            current_value=_display(getattr(target, field))[:255], proposed_value=_display(value)[:255], reason=reason,
            reported_by=user, region_code=region_code, department=_department_of(target)[:128],
        )


def correction_review(*, user, correction, accept: bool, note="") -> Correction:
    """A reviewer (administrator, dispatcher or squad leader of the record's district or street) decides.
    Accepted: the record changes (history names the reviewer) and feedback goes to the source department.
    Rejected: a note is required."""
    _require_manager(user, correction.region_code)
    note = (note or "").strip()
    if correction.status != Correction.Status.PENDING:
        raise ApplicationError(_("This correction has been reviewed already."), code="already_reviewed")
    if not accept and not note:
        raise ApplicationError(_("Say why the correction is rejected."), code="missing_note", details={"note": [_("This field is required.")]})
    with transaction.atomic(), acting_as(user):
        correction = Correction.objects.select_for_update().get(pk=correction.pk)
        if correction.status != Correction.Status.PENDING:
            raise ApplicationError(_("This correction has been reviewed already."), code="already_reviewed")
        correction.status = Correction.Status.ACCEPTED if accept else Correction.Status.REJECTED
        correction.reviewed_by = user if getattr(user, "pk", None) else None
        correction.reviewed_at = timezone.now()
        correction.review_note = note
        correction.save()
        if accept:
            target = correction.target
            if target is None:
                raise NotFound()
            kind = CORRECTABLE_FIELDS[type(target)][correction.field]
            setattr(target, correction.field, _parse_value(kind, correction.proposed_value))
            target.save()
            if correction.department:
                rows = [
                    ["记录类型", "记录编号", "字段", "原值", "更正值", "理由", "审核人", "审核时间"],
                    [correction.target_type.model, correction.target_id, correction.field, correction.current_value,
                     correction.proposed_value, correction.reason, str(user or ""), timezone.localtime(correction.reviewed_at).strftime("%Y-%m-%d %H:%M")],
                ]
                content, ext = _export(rows, "csv")
                SendBack.objects.create(
                    kind=SendBack.Kind.CORRECTION, department=correction.department, sent_by=correction.reviewed_by,
                    file_name=f"ledger-correction-{correction.pk}.{ext}", file_sha256=_sha256(content), content=content,
                    correction=correction, region_code=correction.region_code,
                )
    return correction


# --- licence kinds (the catalogue; also used by the demo) ----------------------------------------

def licence_kind_ensure(*, user, code, name, name_en="", required_for_place_kinds=()) -> LicenceKind:
    with transaction.atomic(), acting_as(user):
        kind, _created = LicenceKind.objects.update_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "required_for_place_kinds": list(required_for_place_kinds)}
        )
    return kind
