"""Targeted notices (精准推送): staff write one and target businesses; recipients are fixed when it is sent.

Targeting: an area (region-code prefix inside the sender's jurisdiction), optionally place kinds (businesses
operating such a place there), business kinds (``gbcp.Entity.kind``) and/or a list of businesses (by USCC, each in
the area). Each recipient business is told in the message centre (its merchant users) and by SMS to the ledger's
contact phone (a Celery job after commit); it reads and acknowledges in the portal.
"""
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from apps.accounts.jurisdiction import covers_code
from apps.accounts.models import User
from apps.gbcp import aftercommit
from apps.gbcp.audit import acting_as
from apps.gbcp.errors import ApplicationError, NotFound
from apps.gbcp.models import Entity, Place
from apps.portal.models import Notice, NoticeRecipient
from apps.portal.policy import NOTICES
from apps.realtime import sms
from apps.realtime.events import publish

SMS_TEMPLATE = "business_notice"


def recipients_resolve(*, region_code: str, place_kinds=(), entity_kinds=(), entities=()) -> list[Entity]:
    """The businesses a notice reaches, in name order (the same rules the preview and the sending use)."""
    places = Place.objects.filter(is_active=True, region__code__startswith=region_code, operator__isnull=False)
    if place_kinds:
        places = places.filter(kind__in=list(place_kinds))
    in_area = Q(pk__in=places.values("operator_id"))
    if not place_kinds:
        in_area |= Q(region__code__startswith=region_code)
    qs = Entity.objects.filter(in_area)
    if entities:
        qs = qs.filter(pk__in=[e.pk for e in entities])
    if entity_kinds:
        qs = qs.filter(kind__in=list(entity_kinds))
    return list(qs.order_by("name", "pk"))


@transaction.atomic
def notice_send(*, user, title: str, body: str, region_code: str, place_kinds=(), entity_kinds=(), entities=(),
                needs_ack=True) -> Notice:
    """Write and send a notice; the recipients are resolved now and stored (later changes to the ledger don't move them)."""
    notice = Notice(title=title.strip(), body=body.strip(), region_code=region_code, place_kinds=list(place_kinds),
                    entity_kinds=list(entity_kinds), needs_ack=needs_ack, created_by=user)
    if user is not None and user.is_authenticated and user.has_role(*NOTICES.step("send").roles) and not covers_code(user, region_code):
        raise NotFound()  # an area outside the jurisdiction answers like one that does not exist
    NOTICES.require(user=user, step="send", subject=notice)
    if not notice.title or not notice.body:
        raise ApplicationError(_("Write a title and a text."), code="notice_empty")
    if place_kinds and set(place_kinds) - set(Place.Kind.values) or entity_kinds and set(entity_kinds) - set(Entity.Kind.values):
        raise ApplicationError(_("Choose known kinds."), code="unknown_kind")
    businesses = recipients_resolve(region_code=region_code, place_kinds=place_kinds, entity_kinds=entity_kinds, entities=entities)
    if not businesses:
        raise ApplicationError(_("No business matches this target."), code="no_recipients")
    with acting_as(user):
        notice.save()
        if entities:
            notice.entities.set(entities)
        bulk_create_with_history([NoticeRecipient(notice=notice, entity=e) for e in businesses], NoticeRecipient)
    users = list(User.objects.filter(entity_id__in=[e.pk for e in businesses], is_active=True).order_by("pk"))
    publish(event="portal.notice", users=users, payload={"notice": notice.pk}, title=notice.title, body=notice.body[:200],
            link=reverse("portal-business-notice", args=[notice.pk]))
    aftercommit.enqueue("apps.portal.tasks.send_notice_sms", notice.pk, event="portal:notice-sms")
    return notice


def notice_sms_send(*, notice_id) -> dict:
    """One SMS per recipient with a contact phone, once each; {"sent": n, "no_phone": n, "failed": n}."""
    counts = {"sent": 0, "no_phone": 0, "failed": 0}
    notice = Notice.objects.filter(pk=notice_id).first()
    if notice is None:
        return counts
    for receipt in NoticeRecipient.objects.filter(notice=notice, sms_status="").select_related("entity"):
        status = "no_phone"
        if receipt.entity.contact_phone:
            try:
                sms.send_sms(receipt.entity.contact_phone, sms.template_id(SMS_TEMPLATE), {"title": notice.title[:20]})
                status = "sent"
            except sms.SmsError:
                status = "failed"
        NoticeRecipient.objects.filter(pk=receipt.pk).update(sms_status=status)
        counts[status] += 1
    return counts


@transaction.atomic
def notice_read(*, user, receipt: NoticeRecipient) -> NoticeRecipient:
    """The business opened the notice (the first time counts)."""
    if getattr(user, "entity_id", None) != receipt.entity_id:
        raise NotFound()
    if receipt.read_at is None:
        with acting_as(user):
            receipt.read_at, receipt.read_by = timezone.now(), user
            receipt.save(update_fields=["read_at", "read_by"])
    return receipt


@transaction.atomic
def notice_acknowledge(*, user, receipt: NoticeRecipient) -> NoticeRecipient:
    """The business confirms it has taken note (确认知悉); once."""
    receipt = NoticeRecipient.objects.select_for_update(of=("self",)).get(pk=receipt.pk)
    if getattr(user, "entity_id", None) != receipt.entity_id:
        raise NotFound()
    if receipt.acknowledged_at is None:
        now = timezone.now()
        with acting_as(user):
            receipt.acknowledged_at, receipt.acknowledged_by = now, user
            if receipt.read_at is None:
                receipt.read_at, receipt.read_by = now, user
            receipt.save(update_fields=["acknowledged_at", "acknowledged_by", "read_at", "read_by"])
    return receipt
