"""Reads of the co-governance portal by who asks: staff see notices of their jurisdiction, a business only its own
places, licences and notices; anything else is "not there" (404)."""
from django.db.models import Count, Q

from apps.accounts.jurisdiction import scope_filter
from apps.gbcp.errors import NotFound
from apps.gbcp.models import Entity, Place
from apps.ledger.models import Licence
from apps.portal.models import Notice, NoticeRecipient
from apps.portal.policy import NOTICE_ROLES


def _staff(user) -> bool:
    return bool(user and user.is_authenticated and user.is_staff_member())


def business_entity_id(user):
    """The business a signed-in merchant acts for; None for staff, citizens and the anonymous."""
    if user is None or not user.is_authenticated or _staff(user):
        return None
    return user.entity_id


def business_entity(*, user) -> Entity:
    entity_id = business_entity_id(user)
    entity = Entity.objects.filter(pk=entity_id).select_related("region").first() if entity_id else None
    if entity is None:
        raise NotFound()
    return entity


def business_places(*, user):
    entity_id = business_entity_id(user)
    if not entity_id:
        return Place.objects.none()
    return Place.objects.filter(operator_id=entity_id, is_active=True).select_related("region").order_by("name", "id")


def business_licences(*, user):
    """The licences the ledger holds for the business (ledger rows read as the ledger's own pages read them)."""
    entity_id = business_entity_id(user)
    if not entity_id:
        return Licence.objects.none()
    return Licence.objects.filter(holder_id=entity_id).select_related("kind", "place").order_by("-valid_to", "id")


def business_notices(*, user):
    entity_id = business_entity_id(user)
    if not entity_id:
        return NoticeRecipient.objects.none()
    return NoticeRecipient.objects.filter(entity_id=entity_id).select_related("notice").order_by("-notice__sent_at", "-id")


def business_notice_get(*, user, notice_id) -> NoticeRecipient:
    receipt = business_notices(user=user).filter(notice_id=notice_id).first()
    if receipt is None:
        raise NotFound()
    return receipt


def notice_list_for_user(*, user):
    if not _staff(user) or not user.has_role(*NOTICE_ROLES):
        return Notice.objects.none()
    return (Notice.objects.filter(scope_filter(user, "region_code")).select_related("created_by")
            .annotate(n_recipients=Count("recipients"), n_read=Count("recipients", filter=Q(recipients__read_at__isnull=False)),
                      n_acknowledged=Count("recipients", filter=Q(recipients__acknowledged_at__isnull=False)))
            .order_by("-sent_at", "-id"))


def notice_get_for_user(*, user, id) -> Notice:
    notice = notice_list_for_user(user=user).filter(pk=id).first()
    if notice is None:
        raise NotFound()
    return notice


def notice_recipients(*, notice):
    return notice.recipients.select_related("entity", "read_by", "acknowledged_by").order_by("entity__name", "id")


def entities_in_area(*, user, region_code: str):
    """Businesses a notice of this area may list: registered in it or operating a place in it, inside the user's jurisdiction."""
    if not _staff(user):
        return Entity.objects.none()
    operating = Place.objects.filter(is_active=True, region__code__startswith=region_code).filter(scope_filter(user, "region__code"))
    registered = Q(region__code__startswith=region_code) & scope_filter(user, "region__code")
    return Entity.objects.filter(Q(pk__in=operating.values("operator_id")) | registered)
