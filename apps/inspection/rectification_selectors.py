"""Reads of self-checks and rectifications by who asks: a merchant its own business's, staff by jurisdiction; else not there."""
from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from apps.accounts.jurisdiction import scope_filter
from apps.gbcp.errors import NotFound
from apps.gbcp.models import Place
from apps.inspection.models import Checklist, InspectionRecord, Rectification, RectificationPhoto, RecordAnswer, SelfCheck


def _staff(user) -> bool:
    return bool(user and user.is_authenticated and user.is_staff_member())


def merchant_entity_id(user):
    """The business a signed-in merchant acts for (never for staff: their reads are by jurisdiction)."""
    if user is None or not user.is_authenticated or _staff(user):
        return None
    return user.entity_id


def merchant_places_with_checklists(*, user) -> list[tuple]:
    """[(place, checklist or None)] of the merchant's active places; two queries."""
    entity_id = merchant_entity_id(user)
    if not entity_id:
        return []
    places = list(Place.objects.filter(operator_id=entity_id, is_active=True).select_related("region").order_by("name", "id"))
    checklists = {c.place_kind: c for c in Checklist.objects.filter(is_active=True, place_kind__in={p.kind for p in places})}
    return [(place, checklists.get(place.kind)) for place in places]


def merchant_place_get(*, user, id) -> Place:
    entity_id = merchant_entity_id(user)
    place = Place.objects.filter(pk=id, operator_id=entity_id, is_active=True).select_related("region").first() if entity_id else None
    if place is None:
        raise NotFound()
    return place


def checklist_items(*, checklist):
    return checklist.items.filter(is_active=True).select_related("category").order_by("order", "id")


def merchant_self_check_get(*, user, id) -> SelfCheck:
    entity_id = merchant_entity_id(user)
    check = (SelfCheck.objects.filter(pk=id, entity_id=entity_id).select_related("place", "checklist")
             .prefetch_related("answers__item", "rectifications").first()) if entity_id else None
    if check is None:
        raise NotFound()
    return check


def merchant_self_checks(*, user):
    entity_id = merchant_entity_id(user)
    if not entity_id:
        return SelfCheck.objects.none()
    return SelfCheck.objects.filter(entity_id=entity_id).select_related("place").annotate(
        n_failed=Count("answers", filter=Q(answers__outcome="failed"))).order_by("-submitted_at", "-id")


def rectification_list_for_user(*, user, origin=None, open_only=False, overdue=False):
    """A merchant: its business's rectifications; staff: those in their jurisdiction; anyone else: none."""
    if _staff(user):
        qs = Rectification.objects.filter(scope_filter(user, "region_code"))
    else:
        entity_id = merchant_entity_id(user)
        if not entity_id:
            return Rectification.objects.none()
        qs = Rectification.objects.filter(entity_id=entity_id)
    if origin:
        qs = qs.filter(origin=origin)
    if open_only or overdue:
        qs = qs.filter(status__in=Rectification.OPEN_STATUSES)
    if overdue:
        qs = qs.filter(deadline__lt=timezone.localdate())
    return qs.select_related("place", "item", "entity", "issued_by").order_by("deadline", "id")


def rectification_get_for_user(*, user, id) -> Rectification:
    rectification = (
        rectification_list_for_user(user=user)
        .select_related("finding__record", "answered_by", "decided_by", "self_check")
        .prefetch_related(Prefetch("photos", queryset=RectificationPhoto.objects.order_by("uploaded_at", "id")))
        .filter(pk=id).first()
    )
    if rectification is None:
        raise NotFound()
    return rectification


def rectification_photo_get_for_user(*, user, rectification_id, id) -> RectificationPhoto:
    rectification = rectification_get_for_user(user=user, id=rectification_id)
    photo = next((p for p in rectification.photos.all() if p.pk == id), None)
    if photo is None:
        raise NotFound()
    return photo


def business_inspections(*, user, limit=10) -> list:
    """The merchant's inspection results: records of its places, with the failed items; three queries."""
    entity_id = merchant_entity_id(user)
    if not entity_id:
        return []
    failed = RecordAnswer.objects.filter(outcome="failed").select_related("item")
    return list(InspectionRecord.objects.filter(place__operator_id=entity_id).select_related("place")
                .prefetch_related(Prefetch("answers", queryset=failed, to_attr="failed_answers"))
                .order_by("-inspected_at", "-id")[:limit])

