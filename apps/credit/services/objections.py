"""Objections (信用异议): the business disputes one of its records; a legal reviewer of its jurisdiction decides."""
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import Role
from apps.credit import events
from apps.credit.models import CreditRecord, Objection
from apps.credit.policy import require
from apps.credit.services._common import grade_recompute_later
from apps.gbcp.audit import acting_as
from apps.gbcp.errors import ApplicationError, NotFound

MAX_TEXT = 2000


@transaction.atomic
def objection_submit(*, user, record: CreditRecord, text: str) -> Objection:
    """A merchant of the business the record is about objects to it; one open objection per record."""
    if user is None or not user.is_authenticated or not user.has_role(Role.MERCHANT) or not user.entity_id:
        raise ApplicationError(_("Only the business concerned may object to its credit records."), code="not_a_merchant", status_code=403)
    if record.entity_id != user.entity_id:
        raise NotFound()
    record = CreditRecord.objects.select_for_update().get(pk=record.pk)
    text = (text or "").strip()
    if not text:
        raise ApplicationError(_("Say why the record is wrong."), code="text_required", details={"text": [_("This field is required.")]})
    if record.status != CreditRecord.Status.ACTIVE:
        raise ApplicationError(_("Only a record in force can be objected to."), code="record_not_active", status_code=409)
    if Objection.objects.filter(record=record, status=Objection.Status.SUBMITTED).exists():
        raise ApplicationError(_("An objection to this record is already being decided."), code="objection_open", status_code=409)
    try:
        with transaction.atomic(), acting_as(user):
            objection = Objection.objects.create(entity_id=record.entity_id, record=record, region_code=record.region_code, text=text[:MAX_TEXT],
                                                 submitted_by=user)
    except IntegrityError as exc:
        raise ApplicationError(_("An objection to this record is already being decided."), code="objection_open", status_code=409) from exc
    events.objection_submitted(objection)
    return objection


@transaction.atomic
def objection_decide(*, user, objection: Objection, upheld: bool, reason: str) -> Objection:
    """Upheld: the record is withdrawn and the grade recomputed; rejected: the record stands. Either way with a reason."""
    objection = Objection.objects.select_for_update().select_related("record").get(pk=objection.pk)
    require(user=user, step="decide_objection", subject=objection)
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("Give the reason of the decision."), code="reason_required", details={"reason": [_("This field is required.")]})
    with acting_as(user):
        objection.status = Objection.Status.UPHELD if upheld else Objection.Status.REJECTED
        objection.decided_by, objection.decided_at, objection.decision_reason = user, timezone.now(), reason[:MAX_TEXT]
        objection.save()
        if upheld:
            record = CreditRecord.objects.select_for_update().get(pk=objection.record_id)
            record.status, record.status_changed_at, record.status_reason = CreditRecord.Status.WITHDRAWN, timezone.now(), reason[:MAX_TEXT]
            record.save(update_fields=["status", "status_changed_at", "status_reason", "updated_at"])
    if upheld:
        grade_recompute_later(objection.entity_id)
    events.objection_decided(objection)
    return objection
