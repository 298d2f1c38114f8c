"""Every write of patrol inspection: checklists, plans and assignments, draws, records, findings, self-checks."""
import datetime as dt
import math
import re
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.jurisdiction import covers_code, staff_organizations
from apps.cases.selectors import cause_get
from apps.cases.services import case_open
from apps.dispatch.models import Source
from apps.dispatch.services import task_intake
from apps.evidence.services import evidence_record_many
from apps.accounts.models import Membership, Role, User
from apps.gbcp import citycode
from apps.gbcp.audit import acting_as
from apps.gbcp.errors import ApplicationError, NotFound
from apps.gbcp.models import Category, Entity, Grid, Place
from apps.gbcp.selectors import place_get_by_city_code_for_user, place_get_for_user, place_list_for_user
from apps.gbcp.validators import USCC_CHARSET, is_valid_uscc
from apps.inspection import drawing
from apps.ledger.selectors import key_point_interval_days, licences_for_place
from apps.inspection.models import (
    Assignment,
    Checklist,
    ChecklistItem,
    Conflict,
    Draw,
    Finding,
    InspectionRecord,
    InspectorQualification,
    Outcome,
    PatrolPlan,
    RecordAnswer,
    SelfCheck,
    SelfCheckAnswer,
)

PLANNER_ROLES = (Role.DISPATCHER, Role.LEADER, Role.SQUAD_LEADER, Role.SUPERVISOR, Role.ADMINISTRATOR)
INSPECTOR_ROLES = (Role.OFFICER, Role.SQUAD_LEADER)
NEAREST_PLACE_MAX_M = 150
USCC_IN_TEXT = re.compile("[%s]{18}" % USCC_CHARSET)


# --- what inspection needs of other apps (their selectors and services) -------------------

def place_risk_weight(place) -> float:
    """Weight of a place in the draw and divisor of its inspection interval; 1.0 until the credit app rates risk."""
    return 1.0


def _key_point_intervals(place_ids) -> dict:
    return key_point_interval_days(place_ids=list(place_ids)) or {}


def _ledger_uscc(place) -> str:
    """The operator's USCC as the ledger knows it: its licences first, else the place's operator."""
    for licence in licences_for_place(place=place):
        code = getattr(getattr(licence, "holder", None), "uscc", "")
        if code:
            return code
    return place.operator.uscc if place.operator_id else ""


def _evidence_record_many(*, user, files, subject, region_code, captured_at, point, note):
    return evidence_record_many(user=user, files=files, subject=subject, region_code=region_code, captured_at=captured_at,
                                point=point, device="mobile", note=note)


# --- helpers -------------------------------------------------------------------------

def _require(user, roles, code: str, message=None):
    if user is None or not user.is_authenticated or not (user.is_superuser or user.has_role(*roles)):
        raise ApplicationError(message or _("You may not do this."), code=code, status_code=403)


def _require_covers(user, region_code: str):
    if not covers_code(user, region_code):
        raise NotFound()


def checklist_for_kind(place_kind: str) -> Checklist:
    checklist = Checklist.objects.filter(place_kind=place_kind, is_active=True).first()
    if checklist is None:
        raise ApplicationError(_("There is no checklist for this kind of place."), code="no_checklist")
    return checklist


def _answers_checked(checklist: Checklist, answers) -> tuple[list, list[ChecklistItem]]:
    """``answers``: [{"item": id, "outcome": .., "note": ..}]; every active item answered exactly once."""
    items = {i.pk: i for i in checklist.items.filter(is_active=True).select_related("category")}
    given = {}
    for answer in answers:
        item_id = int(answer["item"])
        if item_id not in items:
            raise ApplicationError(_("Item %(item)s is not on this checklist.") % {"item": item_id}, code="unknown_item",
                                   details={"answers": [_("Unknown item %(item)s.") % {"item": item_id}]})
        if item_id in given:
            raise ApplicationError(_("Item %(item)s is answered twice.") % {"item": item_id}, code="duplicate_answer")
        if answer["outcome"] not in Outcome.values:
            raise ApplicationError(_("Unknown outcome."), code="unknown_outcome")
        given[item_id] = answer
    missing = sorted(set(items) - set(given))
    if missing:
        raise ApplicationError(_("Answer every item of the checklist."), code="incomplete_checklist", details={"missing_items": missing})
    ordered = sorted(items.values(), key=lambda i: (i.order, i.pk))
    return [(item, given[item.pk]) for item in ordered], ordered


# --- checklists ------------------------------------------------------------------------

@transaction.atomic
def checklist_ensure(*, user, place_kind: str, name: str, items) -> Checklist:
    """Create or update a checklist; ``items``: [(text, legal_basis, cause_code, category_code)], matched by text."""
    with acting_as(user):
        checklist, _created = Checklist.objects.get_or_create(place_kind=place_kind, defaults={"name": name})
        if checklist.name != name:
            checklist.name = name
            checklist.save()
        categories = {c.code: c for c in Category.objects.filter(code__in=[row[3] for row in items if row[3]])}
        existing = {i.text: i for i in checklist.items.all()}
        for order, (text, legal_basis, cause_code, category_code) in enumerate(items, start=1):
            item = existing.get(text) or ChecklistItem(checklist=checklist, text=text)
            wanted = (order, legal_basis, cause_code, categories.get(category_code))
            if item.pk is None or (item.order, item.legal_basis, item.cause_code, item.category) != wanted:
                item.order, item.legal_basis, item.cause_code, item.category = wanted
                item.save()
    return checklist


# --- plans and assignments ---------------------------------------------------------------

def _check_kinds(place_kinds):
    unknown = [k for k in place_kinds if k not in Place.Kind.values]
    if unknown or not place_kinds:
        raise ApplicationError(_("Choose known place kinds."), code="invalid_place_kinds", details={"place_kinds": unknown})


@transaction.atomic
def plan_create(*, user, name, region_code, place_kinds, interval_days, starts_on=None, ends_on=None, squad=None) -> PatrolPlan:
    """A top-down plan set by city or district staff for their area."""
    _require(user, PLANNER_ROLES, "not_a_planner", _("Only city or district staff set patrol plans."))
    _require_covers(user, region_code)
    _check_kinds(place_kinds)
    if not 1 <= int(interval_days) <= 366:
        raise ApplicationError(_("The frequency is between 1 and 366 days."), code="invalid_interval")
    with acting_as(user):
        return PatrolPlan.objects.create(
            name=name.strip() or _("Patrol plan"), origin=PatrolPlan.Origin.TOP_DOWN, region_code=region_code,
            place_kinds=list(place_kinds), interval_days=interval_days, starts_on=starts_on or timezone.localdate(),
            ends_on=ends_on, squad=squad, created_by=user,
        )


@transaction.atomic
def plan_start_on_patrol(*, user, grid: Grid | None = None, place_kinds=None, interval_days=7, name="") -> PatrolPlan:
    """A bottom-up plan: an officer on patrol starts one for his grid, or else for his squad's street."""
    _require(user, INSPECTOR_ROLES, "not_an_officer", _("Only officers start a patrol."))
    squad = next(iter(staff_organizations(user, INSPECTOR_ROLES)), None)
    if grid is not None:
        region_code = grid.region.code
    elif squad is not None:
        region_code = squad.region.code
    else:
        raise ApplicationError(_("You serve in no squad."), code="no_squad")
    _require_covers(user, region_code)
    place_kinds = list(place_kinds or [Place.Kind.RESTAURANT, Place.Kind.SHOP, Place.Kind.STREET_SEGMENT])
    _check_kinds(place_kinds)
    with acting_as(user):
        plan = PatrolPlan.objects.create(
            name=name or _("Patrol of %(area)s") % {"area": grid.name if grid else squad.region.name},
            origin=PatrolPlan.Origin.BOTTOM_UP, region_code=region_code, grid=grid, place_kinds=place_kinds,
            interval_days=interval_days, starts_on=timezone.localdate(), squad=squad, created_by=user,
        )
    # The patrol's first round is today: every place of the area gets an assignment due now.
    plan_generate_assignments(user=user, plan=plan, until=timezone.localdate())
    return plan


def plan_places(plan: PatrolPlan):
    qs = Place.objects.filter(region__code__startswith=plan.region_code, kind__in=plan.place_kinds, is_active=True)
    if plan.grid_id:
        qs = qs.filter(grid_id=plan.grid_id)
    return qs.select_related("region", "grid__squad").order_by("id")


def place_interval_days(plan: PatrolPlan, places) -> dict:
    """interval = min(plan frequency, key-point interval from the ledger) / risk weight (at least one day)."""
    key_points = _key_point_intervals([p.pk for p in places])
    intervals = {}
    for place in places:
        days = plan.interval_days
        if key_points.get(place.pk):
            days = min(days, int(key_points[place.pk]))
        intervals[place.pk] = max(1, math.floor(days / max(place_risk_weight(place), 1e-6)))
    return intervals


def _squad_members(org_ids):
    members = {}
    for m in Membership.objects.filter(organization_id__in=org_ids, role=Role.OFFICER, is_active=True).order_by("user_id"):
        members.setdefault(m.organization_id, []).append(m.user_id)
    return members


@transaction.atomic
def plan_generate_assignments(*, user, plan: PatrolPlan, until: dt.date) -> list[Assignment]:
    """Due dates per place from the later of the plan start and the last inspection, every interval, up to ``until``; no duplicates."""
    _require(user, PLANNER_ROLES + INSPECTOR_ROLES, "not_a_planner")
    _require_covers(user, plan.region_code)
    end = min(until, plan.ends_on) if plan.ends_on else until
    places = list(plan_places(plan))
    intervals = place_interval_days(plan, places)
    last_seen = {}
    for place_id, at in InspectionRecord.objects.filter(place__in=places).values_list("place_id", "inspected_at").order_by("inspected_at"):
        last_seen[place_id] = timezone.localtime(at).date()
    existing = set(Assignment.objects.filter(plan=plan).values_list("place_id", "due_on"))
    latest_due = {}
    for place_id, due in sorted(existing, key=lambda row: row[1]):
        latest_due[place_id] = due
    squads = {p.pk: (p.grid.squad if p.grid_id and p.grid.squad_id else plan.squad) for p in places}
    members = _squad_members({s.pk for s in squads.values() if s is not None})
    created = []
    with acting_as(user):
        for place in places:
            interval = dt.timedelta(days=intervals[place.pk])
            if place.pk in latest_due:
                due = latest_due[place.pk] + interval
            elif place.pk in last_seen:
                due = max(plan.starts_on, last_seen[place.pk] + interval)
            else:
                due = plan.starts_on
            while due <= end:
                if (place.pk, due) not in existing:
                    squad = squads[place.pk]
                    assignment = Assignment.objects.create(plan=plan, place=place, region_code=place.region.code, due_on=due, squad=squad)
                    if squad is not None and members.get(squad.pk):
                        assignment.assignees.set(members[squad.pk])
                    created.append(assignment)
                due += interval
    return created


@transaction.atomic
def assignment_sweep_overdue(*, user=None, today=None) -> int:
    """Open assignments past their due date become overdue (a beat task calls this daily)."""
    today = today or timezone.localdate()
    with acting_as(user):
        overdue = list(Assignment.objects.filter(status=Assignment.Status.OPEN, due_on__lt=today))
        for assignment in overdue:
            assignment.status = Assignment.Status.OVERDUE
            assignment.save(update_fields=["status"])
    return len(overdue)


# --- qualifications and conflicts ------------------------------------------------------------

@transaction.atomic
def qualification_ensure(*, user, inspector: User, badge_number, region_code, valid_until, qualifications=(), is_active=True) -> InspectorQualification:
    with acting_as(user):
        qualification, _created = InspectorQualification.objects.update_or_create(
            user=inspector, defaults={"badge_number": badge_number, "region_code": region_code, "certificate_valid_until": valid_until,
                                      "qualifications": list(qualifications), "is_active": is_active},
        )
    return qualification


@transaction.atomic
def conflict_declare(*, user, inspector: User, place: Place | None = None, entity: Entity | None = None, reason: str) -> Conflict:
    if place is None and entity is None:
        raise ApplicationError(_("A conflict names a place or a business."), code="conflict_without_target")
    if not (reason or "").strip():
        raise ApplicationError(_("Give the reason of the conflict."), code="reason_required")
    with acting_as(user):
        conflict, _created = Conflict.objects.get_or_create(inspector=inspector, place=place, entity=entity, defaults={"reason": reason.strip()})
    return conflict


def qualified_inspectors(*, region_code: str, on: dt.date | None = None):
    """Officers holding an active certificate, serving in the region (code prefix), in badge order."""
    on = on or timezone.localdate()
    return (
        InspectorQualification.objects.filter(
            is_active=True, certificate_valid_until__gte=on, region_code__startswith=region_code,
            user__is_active=True, user__memberships__is_active=True, user__memberships__role__in=INSPECTOR_ROLES,
        ).select_related("user").distinct().order_by("badge_number")
    )


# --- 双随机 draws --------------------------------------------------------------------------

def _draw_inputs(*, region_code, place_kinds):
    places = list(Place.objects.filter(region__code__startswith=region_code, kind__in=place_kinds, is_active=True).order_by("id"))
    candidates = [[p.pk, repr(float(place_risk_weight(p)))] for p in places]
    pool = [
        {"id": q.user_id, "code": q.badge_number, "qualifications": list(q.qualifications)}
        for q in qualified_inspectors(region_code=region_code[:6])
    ]
    pool_ids = {row["id"] for row in pool}
    by_entity = {}
    for p in places:
        if p.operator_id:
            by_entity.setdefault(p.operator_id, []).append(p.pk)
    candidate_ids = {p.pk for p in places}
    pairs = set()
    for c in Conflict.objects.filter(inspector_id__in=pool_ids):
        if c.place_id in candidate_ids:
            pairs.add((c.inspector_id, c.place_id))
        for place_id in by_entity.get(c.entity_id, ()):
            pairs.add((c.inspector_id, place_id))
    return candidates, pool, sorted([i, p] for i, p in pairs)


def draw_compute(draw: Draw) -> list[dict]:
    """The result the stored inputs give (raises drawing.DrawImpossible)."""
    picks = drawing.run(
        seed=bytes.fromhex(draw.seed_hex), candidates=draw.candidates, pool=[row["id"] for row in draw.pool],
        conflicts=draw.conflicts, count=draw.place_count,
    )
    return [p.as_json() for p in picks]


def draw_digest(draw: Draw) -> str:
    return drawing.inputs_digest(seed_hex=draw.seed_hex, algorithm=draw.algorithm, candidates=draw.candidates,
                                 pool_ids=[row["id"] for row in draw.pool], conflicts=draw.conflicts, count=draw.place_count)


@transaction.atomic
def draw_create(*, user, region_code: str, place_kinds, place_count: int, title="", seed_hex: str | None = None) -> Draw:
    """Draw places (risk-weighted) and inspector pairs (conflicts excluded) with a fresh recorded seed."""
    _require(user, PLANNER_ROLES, "not_a_planner", _("Only district or city staff make draws."))
    _require_covers(user, region_code)
    _check_kinds(place_kinds)
    if int(place_count) < 1:
        raise ApplicationError(_("Draw at least one place."), code="invalid_count")
    candidates, pool, conflicts = _draw_inputs(region_code=region_code, place_kinds=place_kinds)
    draw = Draw(
        title=(title or "").strip() or _("Double-random draw %(date)s") % {"date": timezone.localdate().isoformat()},
        region_code=region_code, place_kinds=list(place_kinds), place_count=int(place_count),
        seed_hex=seed_hex or secrets.token_bytes(32).hex(), algorithm=drawing.ALGORITHM,
        candidates=candidates, pool=pool, conflicts=conflicts, created_by=user,
    )
    try:
        draw.result = draw_compute(draw)
    except drawing.DrawImpossible as exc:
        raise ApplicationError(
            _("The draw is not possible: %(reason)s.") % {"reason": _("too few places") if exc.place_id is None else _("too few inspectors without a conflict")},
            code="draw_impossible", details={"candidates": len(candidates), "inspectors": len(pool)},
        ) from exc
    draw.inputs_sha256 = draw_digest(draw)
    with acting_as(user):
        draw.save()
    return draw


def draw_replay(*, draw: Draw) -> dict:
    """Recompute from the stored inputs: ``{"match": True}`` or ``{"match": False, "differences": [...]}``."""
    differences = []
    if draw.algorithm != drawing.ALGORITHM:
        differences.append({"field": "algorithm", "stored": draw.algorithm, "recomputed": drawing.ALGORITHM})
    digest = draw_digest(draw)
    if digest != draw.inputs_sha256:
        differences.append({"field": "inputs_sha256", "stored": draw.inputs_sha256, "recomputed": digest})
    try:
        recomputed = draw_compute(draw)
    except (drawing.DrawImpossible, ValueError, TypeError, KeyError) as exc:
        return {"match": False, "differences": differences + [{"field": "result", "error": str(exc)}]}
    stored = draw.result if isinstance(draw.result, list) else []
    for position in range(max(len(stored), len(recomputed))):
        a = stored[position] if position < len(stored) else None
        b = recomputed[position] if position < len(recomputed) else None
        if a != b:
            differences.append({"field": "result", "position": position, "stored": a, "recomputed": b})
    return {"match": not differences, "differences": differences} if differences else {"match": True}


@transaction.atomic
def draw_publish(*, user, draw: Draw) -> Draw:
    _require(user, PLANNER_ROLES, "not_a_planner")
    _require_covers(user, draw.region_code)
    if draw.is_published:
        return draw
    if not draw_replay(draw=draw)["match"]:
        raise ApplicationError(_("The stored draw does not replay to its result; it is not published."), code="draw_tampered")
    with acting_as(user):
        draw.is_published = True
        draw.published_at = timezone.now()
        draw.save(update_fields=["is_published", "published_at"])
    return draw


# --- inspection records --------------------------------------------------------------------

@dataclass
class PlaceMatch:
    place: Place
    identified_by: str
    distance_m: float | None = None


def _haversine_m(a, b) -> float:
    lon1, lat1, lon2, lat2 = map(math.radians, (a.x, a.y, b.x, b.y))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371008.8 * math.asin(math.sqrt(h))


def place_identify(*, user, city_code=None, qr_photo=None, ledger_id=None, point=None) -> PlaceMatch:
    """The place of an inspection: by city code, QR label photo, ledger (place) id, or the nearest place to a point."""

    if city_code:
        code = citycode.extract(city_code)
        if code is None:
            raise ApplicationError(_("This is not a valid city code."), code="invalid_city_code", details={"city_code": [_("Check the code.")]})
        return PlaceMatch(place_get_by_city_code_for_user(user=user, code=code), InspectionRecord.IdentifiedBy.CITY_CODE)
    if qr_photo is not None:
        try:
            code = citycode.read_city_code_from_image(qr_photo)
        except citycode.UnreadableImage:
            code = None
        if code is None:
            raise ApplicationError(_("No city code could be read from the photo."), code="qr_unreadable")
        return PlaceMatch(place_get_by_city_code_for_user(user=user, code=code), InspectionRecord.IdentifiedBy.QR_PHOTO)
    if ledger_id:
        return PlaceMatch(place_get_for_user(user=user, id=ledger_id), InspectionRecord.IdentifiedBy.LEDGER)
    if point is not None:
        d = 0.003  # about 300 m: a box from the spatial index, then exact distances
        near = place_list_for_user(user=user, bbox=(point.x - d, point.y - d, point.x + d, point.y + d))
        best = min(((p, _haversine_m(point, p.point)) for p in near), key=lambda row: (row[1], row[0].pk), default=None)
        if best is None or best[1] > NEAREST_PLACE_MAX_M:
            raise ApplicationError(_("No place within %(m)s m of this point.") % {"m": NEAREST_PLACE_MAX_M}, code="no_place_near")
        return PlaceMatch(best[0], InspectionRecord.IdentifiedBy.POINT, round(best[1], 1))
    raise ApplicationError(_("Identify the place: city code, QR photo, ledger id or point."), code="place_required")


def uscc_from_licence_photo(photo) -> str | None:
    """A valid (GB 32100) 18-character USCC from a QR code on a business licence photo, if any."""
    try:
        texts = citycode.read_codes_from_image(photo)
    except citycode.UnreadableImage:
        return None
    finally:
        try:
            photo.seek(0)
        except (AttributeError, OSError):
            pass
    for text in texts:
        for match in USCC_IN_TEXT.finditer(text.upper()):
            if is_valid_uscc(match.group(0)):
                return match.group(0)
    return None


def _check_co_officer(user, co_officer, place):
    if co_officer is None:
        raise ApplicationError(_("An inspection needs two officers."), code="two_officers_required",
                               details={"co_officer": [_("This field is required.")]})
    if co_officer.pk == user.pk:
        raise ApplicationError(_("The co-officer must be another officer."), code="two_officers_required",
                               details={"co_officer": [_("Name another officer.")]})
    if not (co_officer.is_active and co_officer.has_role(*INSPECTOR_ROLES) and covers_code(co_officer, place.region.code)):
        raise ApplicationError(_("The co-officer is not an officer of this area."), code="invalid_co_officer",
                               details={"co_officer": [_("Name an officer serving here.")]})


@transaction.atomic
def inspection_record(*, user, place: Place, co_officer: User | None, answers, point=None, inspected_at=None,
                      identified_by=InspectionRecord.IdentifiedBy.CITY_CODE, photos=(), licence_photo=None, uscc_typed="",
                      note="", draw: Draw | None = None) -> InspectionRecord:
    """巡查即录入: two officers, every checklist item answered; failed items become findings; due assignments are done."""
    _require(user, INSPECTOR_ROLES, "not_an_officer", _("Only officers record inspections."))
    _require_covers(user, place.region.code)
    _check_co_officer(user, co_officer, place)
    if draw is not None:
        row = next((r for r in draw.result if r["place"] == place.pk), None)
        if row is None or not draw.is_published or (user.pk not in row["inspectors"] and co_officer.pk not in row["inspectors"]):
            raise ApplicationError(_("This place was not drawn for these inspectors."), code="not_in_draw", details={"draw": [_("Check the draw.")]})
    checklist = checklist_for_kind(place.kind)
    checked, _items = _answers_checked(checklist, answers)
    inspected_at = inspected_at or timezone.now()
    if inspected_at > timezone.now() + dt.timedelta(minutes=10):
        raise ApplicationError(_("The inspection time lies in the future."), code="future_time")
    uscc, source = "", InspectionRecord.UsccSource.NONE
    if licence_photo is not None:
        read = uscc_from_licence_photo(licence_photo)
        if read:
            uscc, source = read, InspectionRecord.UsccSource.QR
    if not uscc and uscc_typed:
        typed = uscc_typed.strip().upper()
        if not is_valid_uscc(typed):
            raise ApplicationError(_("The unified social credit code is not valid (GB 32100)."), code="invalid_uscc",
                                   details={"uscc": [_("Check the code.")]})
        uscc, source = typed, InspectionRecord.UsccSource.TYPED
    ledger_uscc = _ledger_uscc(place)
    with acting_as(user):
        record = InspectionRecord.objects.create(
            place=place, region_code=place.region.code, checklist=checklist, officer=user, co_officer=co_officer, point=point,
            inspected_at=inspected_at, identified_by=identified_by, uscc=uscc, uscc_source=source, ledger_uscc=ledger_uscc,
            uscc_mismatch=bool(uscc and ledger_uscc and uscc != ledger_uscc),
            passed=all(a["outcome"] != Outcome.FAILED for _i, a in checked), note=note or "", draw=draw,
        )
        RecordAnswer.objects.bulk_create(
            RecordAnswer(record=record, item=item, outcome=a["outcome"], note=(a.get("note") or "")[:500]) for item, a in checked
        )
        for item, a in checked:
            if a["outcome"] == Outcome.FAILED:
                Finding.objects.create(record=record, item=item, place=place, region_code=record.region_code, note=(a.get("note") or "")[:500])
        day = timezone.localtime(inspected_at).date()
        # The earliest open (or overdue) assignment per plan for this place, due by the day after a full interval, is done.
        done_plans = set()
        for assignment in Assignment.objects.filter(place=place, status__in=[Assignment.Status.OPEN, Assignment.Status.OVERDUE]).select_related("plan").order_by("due_on"):
            if assignment.plan_id in done_plans or assignment.due_on - dt.timedelta(days=assignment.plan.interval_days) > day:
                continue
            assignment.status, assignment.record = Assignment.Status.DONE, record
            assignment.save(update_fields=["status", "record"])
            done_plans.add(assignment.plan_id)
        if photos or licence_photo is not None:
            files = list(photos) + ([licence_photo] if licence_photo is not None else [])
            _evidence_record_many(user=user, files=files, subject=record, region_code=record.region_code, captured_at=inspected_at,
                                  point=point, note=str(place))
    return record


def _finding_locked(finding: Finding) -> Finding:
    return Finding.objects.select_for_update(of=("self",)).select_related("item__category", "place__region", "record").get(pk=finding.pk)


def _require_finding_access(user, finding):
    _require(user, INSPECTOR_ROLES + PLANNER_ROLES, "not_staff")
    _require_covers(user, finding.region_code)
    if finding.handled:
        raise ApplicationError(_("This finding has already been turned into a task or a case."), code="finding_handled", status_code=409)


@transaction.atomic
def finding_to_task(*, user, finding: Finding) -> Finding:
    """Hand a finding to the task centre as a patrol report in the item's category; once."""

    finding = _finding_locked(finding)
    _require_finding_access(user, finding)
    record, place = finding.record, finding.place
    description = _("Patrol inspection of %(place)s: %(item)s") % {"place": place.name, "item": finding.item.text}
    if finding.note:
        description += f" — {finding.note}"
    result = task_intake(
        user=user, source=Source.PATROL, description=description, point=record.point or place.point, address=place.address,
        category=finding.item.category, place=place, external_ref=f"inspection-finding-{finding.pk}",
    )
    with acting_as(user):
        finding.task = result.task
        finding.save(update_fields=["task"])
    return finding


@transaction.atomic
def finding_to_case(*, user, finding: Finding) -> Finding:
    """Open an enforcement case with the item's cause code; once."""
    finding = _finding_locked(finding)
    _require_finding_access(user, finding)
    if not finding.item.cause_code:
        raise ApplicationError(_("This checklist item names no case cause."), code="no_cause")
    try:
        cause = cause_get(code=finding.item.cause_code)
    except NotFound as exc:
        raise ApplicationError(_("The case cause %(code)s does not exist.") % {"code": finding.item.cause_code}, code="unknown_cause") from exc
    record, place = finding.record, finding.place
    case = case_open(
        user=user, source="inspection", cause=cause, place=place, point=record.point or place.point,
        party_entity=place.operator, facts=_("Found in the patrol inspection of %(date)s: %(item)s. %(note)s") % {
            "date": timezone.localtime(record.inspected_at).strftime("%Y-%m-%d %H:%M"), "item": finding.item.text, "note": finding.note},
        source_ref=f"inspection-finding-{finding.pk}",
    )
    with acting_as(user):
        finding.case_id = case.pk
        finding.case_number = str(getattr(case, "number", "") or case.pk)
        finding.save(update_fields=["case_id", "case_number"])
    return finding


# --- merchant self-checks --------------------------------------------------------------------

@transaction.atomic
def self_check_submit(*, user, place: Place, answers, note="") -> SelfCheck:
    """自检自查 by a merchant user of the business that operates the place."""
    if user is None or not user.is_authenticated or not user.has_role(Role.MERCHANT) or not user.entity_id:
        raise ApplicationError(_("Only merchants check their own places."), code="not_a_merchant", status_code=403)
    if place.operator_id != user.entity_id:
        raise NotFound()
    checklist = checklist_for_kind(place.kind)
    checked, _items = _answers_checked(checklist, answers)
    with acting_as(user):
        check = SelfCheck.objects.create(
            place=place, entity_id=user.entity_id, region_code=place.region.code, checklist=checklist, submitted_by=user,
            passed=all(a["outcome"] != Outcome.FAILED for _i, a in checked), note=note or "",
        )
        SelfCheckAnswer.objects.bulk_create(
            SelfCheckAnswer(self_check=check, item=item, outcome=a["outcome"], note=(a.get("note") or "")[:500]) for item, a in checked
        )
    return check

