"""Inspection records (巡查即录入): which place, two officers, every checklist item answered, failed items as findings."""
import datetime as dt
import re
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.jurisdiction import covers_code
from apps.accounts.models import User
from apps.accounts.selectors import require_certified
from apps.credit import services as credit
from apps.evidence.services import evidence_record_many
from apps.gbcp import citycode
from apps.gbcp.audit import acting_as
from apps.gbcp.distance import box_around, metres_between
from apps.gbcp.errors import ApplicationError
from apps.gbcp.models import Place
from apps.gbcp.selectors import place_get_by_city_code_for_user, place_get_for_user, place_list_for_user
from apps.gbcp.validators import USCC_CHARSET, is_valid_uscc
from apps.inspection.models import Assignment, Draw, Finding, InspectionRecord, Outcome, RecordAnswer
from apps.inspection.policy import INSPECTOR_ROLES, require
from apps.inspection.services._common import answers_checked
from apps.inspection.services.checklists import checklist_for_kind
from apps.ledger.selectors import licences_for_place

NEAREST_PLACE_MAX_M = 150
USCC_IN_TEXT = re.compile("[%s]{18}" % USCC_CHARSET)


def _ledger_uscc(place) -> str:
    """The operator's USCC as the ledger knows it: its licences first, else the place's operator."""
    for licence in licences_for_place(place=place):
        code = getattr(getattr(licence, "holder", None), "uscc", "")
        if code:
            return code
    return place.operator.uscc if place.operator_id else ""


@dataclass
class PlaceMatch:
    place: Place
    identified_by: str
    distance_m: float | None = None


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
        # A box from the spatial index, then exact distances.
        near = place_list_for_user(user=user, bbox=box_around(point, NEAREST_PLACE_MAX_M).extent)
        best = min(((p, metres_between(point, p.point)) for p in near), key=lambda row: (row[1], row[0].pk), default=None)
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
    # Both officers show a valid enforcement certificate (执法证) covering the place (APL art. 42).
    require_certified([user, co_officer], place.region.code)


@transaction.atomic
def inspection_record(*, user, place: Place, co_officer: User | None, answers, point=None, inspected_at=None,
                      identified_by=InspectionRecord.IdentifiedBy.CITY_CODE, photos=(), licence_photo=None, uscc_typed="",
                      note="", draw: Draw | None = None) -> InspectionRecord:
    """巡查即录入: two officers, every checklist item answered; failed items become findings; due assignments are done."""
    require(user=user, step="record", subject=InspectionRecord(place=place, region_code=place.region.code))
    _check_co_officer(user, co_officer, place)
    if draw is not None:
        row = next((r for r in draw.result if r["place"] == place.pk), None)
        if row is None or not draw.is_published or (user.pk not in row["inspectors"] and co_officer.pk not in row["inspectors"]):
            raise ApplicationError(_("This place was not drawn for these inspectors."), code="not_in_draw", details={"draw": [_("Check the draw.")]})
    checklist = checklist_for_kind(place.kind)
    checked, _items = answers_checked(checklist, answers)
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
                finding = Finding.objects.create(record=record, item=item, place=place, region_code=record.region_code, note=(a.get("note") or "")[:500])
                if place.operator_id:  # credit is told of the finding against the business operating the place
                    credit.record_inspection_finding(user=user, entity=place.operator, source_ref=f"inspection.Finding:{finding.pk}",
                                                     found_on=inspected_at, reason=" ".join(filter(None, [item.text, finding.note])), place=place)
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
            evidence_record_many(user=user, files=files, subject=record, region_code=record.region_code, captured_at=inspected_at,
                                 point=point, device="mobile", note=str(place))
    return record
