"""Rectifications (整改): a merchant's self-check with photos of failed items, and notices (整改通知) from inspections.

A failed self-check item opens a rectification the business closes itself with a photo of the fix. An officer's
failed finding may become a notice to the place's operator: the business is told (message centre and SMS), answers
with photos, and the officer accepts or returns it with a reason. Who may do each step: rectification_policy.
"""
import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.gbcp import aftercommit
from apps.gbcp.audit import acting_as
from apps.gbcp.errors import ApplicationError, NotFound
from apps.gbcp.files import save_field_file_atomic
from apps.gbcp.photos import check_photo
from apps.inspection.models import Finding, Outcome, Rectification, RectificationPhoto, SelfCheck
from apps.inspection.rectification_policy import RECTIFICATION
from apps.inspection.services.self_checks import self_check_submit
from apps.realtime import sms
from apps.realtime.events import publish

SMS_TEMPLATE = "rectification_notice"
MAX_PHOTOS = 3


def _require(user, step, subject):
    """As patrol inspection: a staff holder of the role outside the jurisdiction is told "not there" (404)."""
    row = RECTIFICATION.step(step)
    if (user is not None and user.is_authenticated and user.is_staff_member() and user.has_role(*row.roles)
            and not RECTIFICATION.may_act(user, step, subject)):
        raise NotFound()
    RECTIFICATION.require(user=user, step=step, subject=subject)


def _deadline_checked(deadline: dt.date) -> dt.date:
    today = timezone.localdate()
    longest = settings.INSPECTION_RECTIFICATION_MAX_DAYS
    if deadline is None or deadline < today or deadline > today + dt.timedelta(days=longest):
        raise ApplicationError(_("The deadline must be between today and %(days)d days from now.") % {"days": longest},
                               code="invalid_deadline", details={"deadline": [_("Choose a date within %(days)d days.") % {"days": longest}]})
    return deadline


def _photos_checked(photos) -> list:
    photos = [p for p in (photos or []) if p]
    if len(photos) > MAX_PHOTOS:
        raise ApplicationError(_("At most %(n)d photos.") % {"n": MAX_PHOTOS}, code="too_many_photos")
    checked = []
    for upload in photos:
        try:
            checked.append(check_photo(upload))
        except ValidationError as exc:
            raise ApplicationError(exc.messages[0], code="bad_photo") from exc
    return checked


def _store_photos(rectification, photos, *, stage, user):
    for upload in photos:
        photo = RectificationPhoto(rectification=rectification, stage=stage, uploaded_by=user)
        save_field_file_atomic(photo.image, upload.name, upload)  # removed again if the transaction rolls back
        photo.save()


def _link(rectification) -> str:
    return reverse("inspection-rectification", args=[rectification.pk])


def _business_users(entity_id) -> list:
    return list(User.objects.filter(entity_id=entity_id, is_active=True).order_by("pk"))


# --- self-checks ----------------------------------------------------------------------------------

@transaction.atomic
def self_check_with_rectifications(*, user, place, answers, photos=None, deadline: dt.date, note="") -> SelfCheck:
    """自检自查 with a photo for each failed item; each failed item opens a rectification due by ``deadline``.

    ``photos``: {item id: [uploads]}. Checked before anything is stored; a failure stores nothing (files neither).
    """
    photos = {int(k): v for k, v in (photos or {}).items()}
    failed = [int(a["item"]) for a in answers if a.get("outcome") == Outcome.FAILED]
    missing = [item for item in failed if not [p for p in photos.get(item, []) if p]]
    if missing:
        raise ApplicationError(_("Add a photo to every failed item."), code="photo_required", details={"items": missing})
    checked = {item: _photos_checked(photos.get(item)) for item in failed}
    deadline = _deadline_checked(deadline) if failed else deadline
    check = self_check_submit(user=user, place=place, answers=answers, note=note)
    items = {a.item_id: a.item for a in check.answers.select_related("item")}
    with acting_as(user):
        for item_id in failed:
            rectification = Rectification.objects.create(
                origin=Rectification.Origin.SELF_CHECK, place=place, entity_id=check.entity_id, region_code=check.region_code,
                item=items[item_id], self_check=check, deadline=deadline, issued_by=user,
                requirement=next((a.get("note") or "" for a in answers if int(a["item"]) == item_id), "")[:500],
            )
            _store_photos(rectification, checked[item_id], stage=RectificationPhoto.Stage.PROBLEM, user=user)
    return check


# --- notices from inspections --------------------------------------------------------------------------

@transaction.atomic
def rectification_issue(*, user, finding: Finding, deadline: dt.date, requirement: str) -> Rectification:
    """整改通知: an officer turns a failed finding into a notice to the place's operator, with a deadline; once."""
    finding = Finding.objects.select_for_update(of=("self",)).select_related("place__operator", "item", "record").get(pk=finding.pk)
    _require(user, "issue", finding)
    requirement = (requirement or "").strip()
    if not requirement:
        raise ApplicationError(_("Say what must be fixed."), code="requirement_required", details={"requirement": [_("This field is required.")]})
    deadline = _deadline_checked(deadline)
    with acting_as(user):
        rectification = Rectification.objects.create(
            origin=Rectification.Origin.INSPECTION, place=finding.place, entity_id=finding.place.operator_id,
            region_code=finding.region_code, item=finding.item, finding=finding, requirement=requirement[:2000],
            deadline=deadline, issued_by=user,
        )
    publish(event="inspection.rectification_issued", users=_business_users(rectification.entity_id),
            payload={"rectification": rectification.pk, "deadline": deadline.isoformat()},
            title=_("Rectification notice: %(place)s") % {"place": finding.place.name},
            body=_("%(item)s — fix by %(deadline)s.") % {"item": finding.item.text, "deadline": deadline.isoformat()},
            level="warning", link=_link(rectification))
    aftercommit.enqueue("apps.inspection.tasks.send_rectification_sms", rectification.pk, event="inspection:rectification-sms")
    return rectification


def rectification_sms_send(*, rectification_id) -> str:
    """The SMS of a notice to the business's contact phone in the ledger (gbcp.Entity.contact_phone); ``sent`` or why not."""
    rectification = Rectification.objects.select_related("entity", "place").filter(pk=rectification_id).first()
    if rectification is None or rectification.origin != Rectification.Origin.INSPECTION:
        return "skipped"
    phone = rectification.entity.contact_phone
    if not phone:
        return "no_phone"
    sms.send_sms(phone, sms.template_id(SMS_TEMPLATE), {"place": rectification.place.name, "deadline": rectification.deadline.isoformat()})
    return "sent"


def _locked(rectification) -> Rectification:
    return Rectification.objects.select_for_update(of=("self",)).select_related("place", "item", "entity").get(pk=rectification.pk)


@transaction.atomic
def rectification_answer(*, user, rectification: Rectification, note: str, photos) -> Rectification:
    """The business answers with photos of the fix: a self-check's rectification is then done; a notice awaits the officer."""
    rectification = _locked(rectification)
    _require(user, "answer", rectification)
    photos = _photos_checked(photos)
    if not photos:
        raise ApplicationError(_("Add at least one photo of the fix."), code="photo_required", details={"photos": [_("This field is required.")]})
    with acting_as(user):
        _store_photos(rectification, photos, stage=RectificationPhoto.Stage.FIX, user=user)
        rectification.answer_note = (note or "").strip()[:2000]
        rectification.answered_by, rectification.answered_at = user, timezone.now()
        self_fixed = rectification.origin == Rectification.Origin.SELF_CHECK
        rectification.status = Rectification.Status.DONE if self_fixed else Rectification.Status.ANSWERED
        rectification.save(update_fields=["answer_note", "answered_by", "answered_at", "status"])
    if not self_fixed:
        publish(event="inspection.rectification_answered", users=[rectification.issued_by],
                payload={"rectification": rectification.pk}, title=_("Rectification answered: %(place)s") % {"place": rectification.place.name},
                body=rectification.item.text, link=_link(rectification))
    return rectification


@transaction.atomic
def rectification_decide(*, user, rectification: Rectification, accept: bool, reason: str = "") -> Rectification:
    """The officer accepts the fix, or returns it with a reason (the business fixes and answers again)."""
    rectification = _locked(rectification)
    step = "accept" if accept else "return"
    _require(user, step, rectification)
    reason = (reason or "").strip()
    if not accept and not reason:
        raise ApplicationError(_("Give the reason for returning it."), code="reason_required", details={"reason": [_("This field is required.")]})
    with acting_as(user):
        rectification.status = Rectification.Status.ACCEPTED if accept else Rectification.Status.RETURNED
        rectification.decided_by, rectification.decided_at = user, timezone.now()
        rectification.return_reason = "" if accept else reason[:2000]
        rectification.save(update_fields=["status", "decided_by", "decided_at", "return_reason"])
    title = _("Rectification accepted: %(place)s") if accept else _("Rectification returned: %(place)s")
    publish(event=f"inspection.rectification_{'accepted' if accept else 'returned'}", users=_business_users(rectification.entity_id),
            payload={"rectification": rectification.pk}, title=title % {"place": rectification.place.name},
            body=reason or rectification.item.text, level="info" if accept else "warning",
            link=_link(rectification))
    return rectification
