"""Corrections (纠错): anyone signed in says a ledger record is wrong; a ledger manager accepts or rejects it."""
import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.jurisdiction import covers_code
from apps.gbcp.audit import acting_as
from apps.gbcp.errors import ApplicationError, NotFound
from apps.gbcp.masking import clearance_for, mask
from apps.gbcp.models import Place
from apps.gbcp.validators import validate_phone
from apps.ledger import imports
from apps.ledger.models import Correction, FrontageZone, KeyPoint, Licence, SendBack
from apps.ledger.policy import LEDGER, require
from apps.ledger.selectors import correction_mask_kind
from apps.ledger.services._common import LICENCE_STATUS_WORDS, export, same, sha256

CORRECTABLE_FIELDS = {
    Licence: {"number": "text", "valid_from": "date", "valid_to": "date", "status": "licence_status", "issuing_department": "text"},
    FrontageZone: {"responsible_name": "text", "responsible_phone": "phone", "is_active": "bool"},
    KeyPoint: {"name": "text", "reason": "text", "interval_days": "interval", "active_from": "date", "active_to": "date"},
    Place: {"name": "text", "address": "text"},
}


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
    if same(getattr(target, field), value) and (kind is None or mask(kind, current, clearance_for(user)) == current):
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
    require(user=user, step="review_correction", subject=correction)
    note = (note or "").strip()
    if not LEDGER.is_open("review_correction", correction):
        raise ApplicationError(_("This correction has been reviewed already."), code="already_reviewed")
    if not accept and not note:
        raise ApplicationError(_("Say why the correction is rejected."), code="missing_note", details={"note": [_("This field is required.")]})
    with transaction.atomic(), acting_as(user):
        correction = Correction.objects.select_for_update().get(pk=correction.pk)
        if not LEDGER.is_open("review_correction", correction):
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
                content, ext = export(rows, "csv")
                SendBack.objects.create(
                    kind=SendBack.Kind.CORRECTION, department=correction.department, sent_by=correction.reviewed_by,
                    file_name=f"ledger-correction-{correction.pk}.{ext}", file_sha256=sha256(content), content=content,
                    correction=correction, region_code=correction.region_code,
                )
    return correction

