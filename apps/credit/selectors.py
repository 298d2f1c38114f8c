"""Reads of credit that depend on who asks (staff by jurisdiction, a merchant its own business), and the risk the draws read."""
from django.db.models import Count, Q

from apps.accounts.decorators import is_staff_user
from apps.accounts.jurisdiction import scope_filter, scope_queryset
from apps.credit import rules
from apps.credit.models import CreditImportBatch, CreditRecord, EntityGrade, GradeRuleSet, Objection, PlaceRisk
from apps.gbcp.errors import NotFound
from apps.gbcp.models import Entity


MAX_ID = 2**63 - 1


def _checked_id(value) -> int:
    """An id from a URL as a whole number the database can hold; anything else is not there (404)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise NotFound() from None
    if not 0 < number <= MAX_ID:
        raise NotFound()
    return number


def entity_region_code(entity) -> str:
    """Where a business lies for jurisdiction: its registered region, else the region of the first place it operates."""
    if entity.region_id:
        return entity.region.code
    place = entity.places.select_related("region").order_by("pk").first()
    return place.region.code if place is not None else ""


def ruleset_active() -> GradeRuleSet | None:
    return GradeRuleSet.objects.filter(is_active=True).first()


def _entity_scope(user):
    """The businesses whose credit ``user`` may read: staff by jurisdiction, a merchant its own, else none."""
    if is_staff_user(user):
        return scope_queryset(Entity.objects.all(), user, "credit_grade__region_code")
    if user is not None and getattr(user, "is_authenticated", False) and getattr(user, "entity_id", None):
        return Entity.objects.filter(pk=user.entity_id)
    return Entity.objects.none()


def entity_get_for_user(*, user, id) -> Entity:
    """A business whose credit the user may read; anything else is not found (404)."""
    entity = _entity_scope(user).select_related("region", "credit_grade__ruleset").filter(pk=_checked_id(id)).first()
    if entity is None:
        raise NotFound()
    return entity


def grade_for(entity) -> EntityGrade | None:
    try:
        return entity.credit_grade
    except EntityGrade.DoesNotExist:
        return None


def grade_list_for_user(*, user, grade=None, q=None):
    qs = scope_queryset(EntityGrade.objects.all(), user, "region_code") if is_staff_user(user) else EntityGrade.objects.none()
    if grade:
        qs = qs.filter(grade=grade)
    if q:
        qs = qs.filter(Q(entity__name__icontains=q) | Q(entity__uscc__iexact=q))
    return qs.select_related("entity", "ruleset").order_by("score", "entity__name")


def records_for_entity(*, entity, statuses=None):
    qs = CreditRecord.objects.filter(entity=entity).select_related("place")
    if statuses:
        qs = qs.filter(status__in=statuses)
    return qs.annotate(open_objections=Count("objections", filter=Q(objections__status=Objection.Status.SUBMITTED))).order_by("-occurred_on", "-id")


def record_get_for_user(*, user, id) -> CreditRecord:
    """A record of a business the user may read (a merchant: its own); else 404."""
    record = CreditRecord.objects.select_related("entity__region", "place").filter(pk=_checked_id(id), entity__in=_entity_scope(user)).first()
    if record is None:
        raise NotFound()
    return record


def grade_history(*, entity, limit=20):
    return list(EntityGrade.history.filter(entity_id=entity.pk).select_related("history_user").order_by("-history_date")[:limit])


def objection_list_for_user(*, user, status=None):
    if is_staff_user(user):
        qs = scope_queryset(Objection.objects.all(), user, "region_code")
    elif user is not None and getattr(user, "is_authenticated", False) and getattr(user, "entity_id", None):
        qs = Objection.objects.filter(entity_id=user.entity_id)
    else:
        qs = Objection.objects.none()
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("entity", "record", "submitted_by", "decided_by").order_by("-submitted_at", "-id")


def objection_get_for_user(*, user, id) -> Objection:
    objection = objection_list_for_user(user=user).filter(pk=_checked_id(id)).first()
    if objection is None:
        raise NotFound()
    return objection


def place_risk_get_for_user(*, user, place_id) -> PlaceRisk:
    qs = scope_queryset(PlaceRisk.objects.all(), user, "region_code") if is_staff_user(user) else PlaceRisk.objects.none()
    risk = qs.select_related("place", "place__operator").filter(place_id=_checked_id(place_id)).first()
    if risk is None:
        raise NotFound()
    return risk


def risk_levels(place_ids) -> dict:
    """{place id: level} of the rated places among ``place_ids`` (one query); unrated places are left out."""
    return dict(PlaceRisk.objects.filter(place_id__in=list(place_ids)).values_list("place_id", "level"))


def risk_weights(place_ids) -> dict:
    """{place id: draw weight} for every id: probability proportional to the level's weight (unrated: medium)."""
    levels = risk_levels(place_ids)
    return {pk: rules.level_weight(levels.get(pk)) for pk in place_ids}


def risk_max_intervals(place_ids) -> dict:
    """{place id: the longest interval in days its level allows, or None}."""
    levels = risk_levels(place_ids)
    return {pk: rules.level_max_interval(levels.get(pk)) for pk in place_ids}


def place_history_counts(*, place, since, until=None) -> dict:
    """What credit itself was told about a place since ``since``: findings, complaints upheld and penalty decisions,
    and the latest of them (withdrawn records do not count)."""
    qs = CreditRecord.objects.filter(place=place, occurred_on__gte=since, kind__in=[rules.FINDING, rules.COMPLAINT, rules.PENALTY]).exclude(
        status=CreditRecord.Status.WITHDRAWN)
    if until is not None:
        qs = qs.filter(occurred_on__lte=until)
    counts = {rules.FINDING: 0, rules.COMPLAINT: 0, rules.PENALTY: 0}
    last = None
    for kind, occurred_on in qs.values_list("kind", "occurred_on"):
        counts[kind] += 1
        last = occurred_on if last is None or occurred_on > last else last
    return {"findings": counts[rules.FINDING], "complaints": counts[rules.COMPLAINT], "cases": counts[rules.PENALTY], "last_at": last}


def place_risks_of(*, entity):
    """The risk of every place the entity operates (the entity's page; the caller has already been allowed the entity)."""
    return PlaceRisk.objects.filter(place__operator=entity).select_related("place").order_by("place_id")


def import_batch_list_for_user(*, user):
    """Credit import batches the caller may read: its own, and those imported by staff serving inside its
    jurisdiction (a city-level user: all). Another district's file — its name, counts and row errors — is not there."""
    within = scope_filter(user, "created_by__memberships__organization__region__code")
    ids = CreditImportBatch.objects.filter(Q(created_by=user) | within).values("pk")
    return CreditImportBatch.objects.filter(pk__in=ids).select_related("created_by").order_by("-created_at", "-id")


def import_batch_get_for_user(*, user, id) -> CreditImportBatch:
    batch = import_batch_list_for_user(user=user).filter(pk=_checked_id(id)).first()
    if batch is None:
        raise NotFound()
    return batch
