"""Credit records as the producers tell them (once per source reference), their expiry and their repair (信用修复)."""
import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.credit import rules
from apps.credit.models import CreditRecord, SourceKind
from apps.credit.policy import require
from apps.credit.selectors import entity_region_code
from apps.credit.services._common import grade_recompute_later, ruleset_current
from apps.gbcp.audit import acting_as
from apps.gbcp.errors import ApplicationError

MAX_ABS_WEIGHT = 100


def _day(value) -> dt.date:
    if value is None:
        return timezone.localdate()
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _record(*, user, entity, kind, source_ref, weight=None, rule="", occurred_on=None, expires_on=None, reason="", place=None,
            department="", import_batch=None, source_row=None) -> CreditRecord:
    """Record once: a second call with the same kind and reference returns the first record unchanged."""
    if kind not in SourceKind.values:
        raise ApplicationError(_("Unknown source of a credit record."), code="unknown_source")
    source_ref = (source_ref or "").strip()
    if not source_ref:
        raise ApplicationError(_("A credit record needs its source reference."), code="source_ref_required")
    existing = CreditRecord.objects.filter(kind=kind, source_ref=source_ref).first()
    if existing is not None:
        return existing
    ruleset = ruleset_current()
    if weight is None:
        weight = int(ruleset.weights.get(rule or kind, rules.DEFAULT_WEIGHTS.get(rule or kind, 0)))
    weight = int(weight)
    if abs(weight) > MAX_ABS_WEIGHT:
        raise ApplicationError(_("A weight lies between -100 and 100."), code="invalid_weight")
    occurred_on = _day(occurred_on)
    if expires_on is None:
        expires_on = occurred_on + dt.timedelta(days=int(ruleset.validity_days.get(kind, rules.DEFAULT_VALIDITY_DAYS[kind])))
    status = CreditRecord.Status.ACTIVE if expires_on > timezone.localdate() else CreditRecord.Status.EXPIRED
    try:
        with transaction.atomic(), acting_as(user):
            record = CreditRecord.objects.create(
                entity=entity, place=place, region_code=entity_region_code(entity) if place is None else place.region.code, kind=kind,
                source_ref=source_ref, weight=weight, rule=rule or kind, occurred_on=occurred_on, expires_on=expires_on, status=status,
                reason=(reason or "")[:2000], department=department or "", ruleset=ruleset, import_batch=import_batch, source_row=source_row,
            )
    except IntegrityError:  # told twice at the same moment: the other call recorded it
        return CreditRecord.objects.get(kind=kind, source_ref=source_ref)
    grade_recompute_later(entity.pk)
    return record


@transaction.atomic
def record_penalty_decision(*, user=None, entity, source_ref, fine=0, warning=False, decided_on=None, reason="", place=None) -> CreditRecord:
    """A penalty decision against a business (cases tells this when a case is decided)."""
    ruleset = ruleset_current()
    weight, rule = rules.penalty_weight(ruleset.weights, fine=fine, warning=warning, major_fine=ruleset.major_fine)
    return _record(user=user, entity=entity, kind=rules.PENALTY, source_ref=source_ref, weight=weight, rule=rule, occurred_on=decided_on,
                   reason=reason, place=place)


@transaction.atomic
def record_inspection_finding(*, user=None, entity, source_ref, found_on=None, reason="", place=None) -> CreditRecord:
    """A failed checklist item found in a patrol inspection of a place the business operates."""
    return _record(user=user, entity=entity, kind=rules.FINDING, source_ref=source_ref, occurred_on=found_on, reason=reason, place=place)


@transaction.atomic
def record_self_check(*, user=None, entity, source_ref, passed: bool, checked_on=None, reason="", place=None) -> CreditRecord:
    """A merchant's self-check: a passed one earns its points; one that reports failures costs nothing (honesty is not punished)."""
    rule = rules.SELF_CHECK if passed else "self_check_failed"
    return _record(user=user, entity=entity, kind=rules.SELF_CHECK, source_ref=source_ref, rule=rule, occurred_on=checked_on, reason=reason,
                   place=place)


@transaction.atomic
def record_complaint_upheld(*, user=None, entity, source_ref, upheld_on=None, reason="", place=None) -> CreditRecord:
    return _record(user=user, entity=entity, kind=rules.COMPLAINT, source_ref=source_ref, occurred_on=upheld_on, reason=reason, place=place)


@transaction.atomic
def record_frontage_performance(*, user=None, entity, source_ref, weight=None, rule="", assessed_on=None, reason="", place=None) -> CreditRecord:
    """门前三包 performance: the points come from the rule set by the assessment's grade (``rule``), or are given (``weight``)."""
    return _record(user=user, entity=entity, kind=rules.FRONTAGE, source_ref=source_ref, weight=weight, rule=rule, occurred_on=assessed_on,
                   reason=reason, place=place)


@transaction.atomic
def record_commendation(*, user=None, entity, source_ref, commended_on=None, reason="", weight=None) -> CreditRecord:
    return _record(user=user, entity=entity, kind=rules.COMMENDATION, source_ref=source_ref, weight=weight, occurred_on=commended_on, reason=reason)


@transaction.atomic
def record_imported(*, user=None, entity, source_ref, department, weight, occurred_on, expires_on=None, reason="", import_batch=None,
                    source_row=None) -> CreditRecord:
    """A record of another department (the city credit platform, market regulation), with its own weight and expiry;
    ``import_batch`` and ``source_row`` say which file and row brought it (a re-import returns the first record unchanged)."""
    if not (department or "").strip():
        raise ApplicationError(_("Name the department the record comes from."), code="department_required")
    return _record(user=user, entity=entity, kind=rules.IMPORTED, source_ref=source_ref, weight=weight, occurred_on=occurred_on,
                   expires_on=expires_on, reason=reason, department=department.strip(), import_batch=import_batch, source_row=source_row)


def _set_status(record: CreditRecord, status, reason, user):
    with acting_as(user):
        record.status, record.status_changed_at, record.status_reason = status, timezone.now(), reason or ""
        record.save(update_fields=["status", "status_changed_at", "status_reason", "updated_at"])
    grade_recompute_later(record.entity_id)


@transaction.atomic
def expire_records(*, today=None, user=None) -> int:
    """Active records whose expiry has come are expired (a daily beat task and ``credit_expire``); their grades follow."""
    today = today or timezone.localdate()
    due = list(CreditRecord.objects.select_for_update().filter(status=CreditRecord.Status.ACTIVE, expires_on__lte=today).order_by("pk"))
    for record in due:
        _set_status(record, CreditRecord.Status.EXPIRED, "", user)
    return len(due)


def repairable_from(record: CreditRecord, ruleset) -> dt.date | None:
    """The first day the record may be repaired under the rule set, or None if its kind is not repairable."""
    days = (ruleset.repair_after_days or {}).get(record.kind)
    if days is None or record.weight >= 0:
        return None
    return record.occurred_on + dt.timedelta(days=int(days))


@transaction.atomic
def repair_record(*, user, record: CreditRecord, reason: str, today=None) -> CreditRecord:
    """信用修复: a legal reviewer repairs a negative record once the rule set's waiting time has passed."""
    record = CreditRecord.objects.select_for_update().select_related("entity").get(pk=record.pk)
    require(user=user, step="repair_record", subject=record)
    if not (reason or "").strip():
        raise ApplicationError(_("Give the reason of the repair."), code="reason_required", details={"reason": [_("This field is required.")]})
    since = repairable_from(record, ruleset_current())
    if since is None:
        raise ApplicationError(_("Records of this kind cannot be repaired."), code="not_repairable", status_code=409)
    if (today or timezone.localdate()) < since:
        raise ApplicationError(_("This record may be repaired from %(date)s.") % {"date": since.isoformat()}, code="too_early_to_repair", status_code=409)
    _set_status(record, CreditRecord.Status.REPAIRED, reason.strip(), user)
    return record
