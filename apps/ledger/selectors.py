"""Reads of the ledger: what other apps ask of it (intervals, licences of a place) and the lists staff see by jurisdiction."""
from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from apps.accounts.jurisdiction import covers_code, scope_filter
from apps.gbcp.errors import NotFound
from apps.gbcp.models import Place
from apps.ledger.models import ComparisonRun, Correction, Finding, FrontageAssessment, FrontageZone, KeyPoint, Licence, SendBack, SourceBatch


def _active_key_points(today=None):
    today = today or timezone.localdate()
    return KeyPoint.objects.filter(Q(active_from__isnull=True) | Q(active_from__lte=today)).filter(
        Q(active_to__isnull=True) | Q(active_to__gte=today)
    )


def key_point_interval_days(*, place_ids, today=None) -> dict[int, int]:
    """place_id → required inspection interval in days from the active key points that name the place
    or whose area holds it; the smallest interval wins. Places under no key point are left out."""
    place_ids = [int(p) for p in place_ids]
    if not place_ids:
        return {}
    result: dict[int, int] = {}
    active = _active_key_points(today)
    for place_id, days in active.filter(place_id__in=place_ids).values_list("place_id", "interval_days"):
        result[place_id] = min(days, result.get(place_id, days))
    areas = list(active.filter(area__isnull=False).values_list("area", "interval_days"))
    if areas:
        # One spatial query per area (key points are few; places may be many).
        for area, days in areas:
            for place_id in Place.objects.filter(pk__in=place_ids, point__within=area).values_list("pk", flat=True):
                result[place_id] = min(days, result.get(place_id, days))
    return result


def licences_for_place(*, place) -> QuerySet:
    """Every licence of the place, newest end date first, with holder, kind and issuing department."""
    return (
        Licence.objects.filter(place=place)
        .select_related("kind", "holder", "issuing_organization", "source_batch")
        .order_by("-valid_to", "id")
    )


def _targets_q(objects) -> Q:
    q = Q(pk__in=[])
    by_type: dict = {}
    for obj in objects:
        by_type.setdefault(type(obj), []).append(obj.pk)
    for model, ids in by_type.items():
        q |= Q(target_type=ContentType.objects.get_for_model(model), target_id__in=ids)
    return q


def ledger_for_place(*, user, place) -> dict:
    """The ledger of one place for a staff user whose jurisdiction covers it (else 404):
    ``{"licences": [Licence], "zones": [FrontageZone], "key_points": [KeyPoint], "corrections": [Correction]}``.
    Key points include active areas that hold the place."""
    if place is None or not covers_code(user, place.region.code if place.region_id else ""):
        raise NotFound()
    licences = list(licences_for_place(place=place))
    zones = list(FrontageZone.objects.filter(place=place).select_related("responsible_entity", "source_batch"))
    key_points = list(
        KeyPoint.objects.filter(Q(place=place) | Q(area__contains=place.point)).select_related("source_batch").order_by("interval_days", "code")
    )
    corrections = list(
        Correction.objects.filter(_targets_q([place, *licences, *zones, *key_points]))
        .select_related("reported_by", "reviewed_by", "target_type")
        .order_by("-reported_at")
    )
    return {"licences": licences, "zones": zones, "key_points": key_points, "corrections": corrections}


# --- lists for staff, by jurisdiction ---------------------------------------------------------------

def licence_list_for_user(*, user, q=None, kind=None, status=None, expired=None, place_id=None, today=None) -> QuerySet:
    """``status`` filters the stored status; ``expired=True`` means past valid_to whatever is stored."""
    today = today or timezone.localdate()
    qs = Licence.objects.filter(scope_filter(user, "region_code")).select_related(
        "kind", "holder", "place", "issuing_organization", "source_batch"
    )
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(holder__name__icontains=q) | Q(place__name__icontains=q) | Q(holder__uscc=q.upper()))
    if kind:
        qs = qs.filter(kind__code=kind)
    if status:
        qs = qs.filter(status=status)
    if expired is True:
        qs = qs.filter(Q(status=Licence.Status.EXPIRED) | Q(valid_to__lt=today))
    elif expired is False:
        qs = qs.exclude(status=Licence.Status.EXPIRED).exclude(valid_to__lt=today)
    if place_id:
        qs = qs.filter(place_id=place_id)
    return qs.order_by("-valid_to", "id")


def licence_get_for_user(*, user, id) -> Licence:
    licence = licence_list_for_user(user=user).filter(pk=id).first()
    if licence is None:
        raise NotFound()
    return licence


def zone_list_for_user(*, user, place_id=None) -> QuerySet:
    qs = FrontageZone.objects.filter(scope_filter(user, "region_code")).select_related("place", "responsible_entity", "source_batch")
    if place_id:
        qs = qs.filter(place_id=place_id)
    return qs.order_by("code")


def zone_get_for_user(*, user, id) -> FrontageZone:
    zone = zone_list_for_user(user=user).filter(pk=id).first()
    if zone is None:
        raise NotFound()
    return zone


def zone_month_list_for_user(*, user, period, q=None, assessed=None) -> QuerySet:
    """Active zones of the user's jurisdiction, each annotated with its assessment of ``period`` (month) if any."""
    of_month = FrontageAssessment.objects.filter(zone=OuterRef("pk"), period=period)
    qs = zone_list_for_user(user=user).filter(is_active=True).annotate(
        month_grade=Subquery(of_month.values("grade")[:1]), month_assessment=Subquery(of_month.values("pk")[:1]))
    if q:
        qs = qs.filter(Q(code__icontains=q) | Q(place__name__icontains=q) | Q(responsible_entity__name__icontains=q))
    if assessed is True:
        qs = qs.filter(month_assessment__isnull=False)
    elif assessed is False:
        qs = qs.filter(month_assessment__isnull=True)
    return qs


def assessment_list_for_user(*, user, zone_id=None) -> QuerySet:
    qs = FrontageAssessment.objects.filter(scope_filter(user, "region_code")).select_related("zone", "zone__place", "assessor", "entity")
    if zone_id:
        qs = qs.filter(zone_id=zone_id)
    return qs.order_by("-period", "-id")


def key_point_list_for_user(*, user, active_only=False) -> QuerySet:
    qs = KeyPoint.objects.filter(scope_filter(user, "region_code")).select_related("place", "source_batch")
    if active_only:
        qs = qs.filter(pk__in=_active_key_points().values("pk"))
    return qs.order_by("code")


def key_point_get_for_user(*, user, id) -> KeyPoint:
    key_point = key_point_list_for_user(user=user).filter(pk=id).first()
    if key_point is None:
        raise NotFound()
    return key_point


def finding_list_for_user(*, user, status=None, rule=None, department=None) -> QuerySet:
    qs = Finding.objects.filter(scope_filter(user, "region_code")).select_related("place", "licence__kind", "entity", "run")
    if status:
        qs = qs.filter(status=status)
    if rule:
        qs = qs.filter(rule=rule)
    if department:
        qs = qs.filter(department=department)
    return qs.order_by("-created_at", "-id")


def send_back_list_for_user(*, user) -> QuerySet:
    return SendBack.objects.filter(scope_filter(user, "region_code")).select_related("sent_by", "correction").defer("content")


def send_back_get_for_user(*, user, id) -> SendBack:
    send_back = SendBack.objects.filter(scope_filter(user, "region_code")).filter(pk=id).first()
    if send_back is None:
        raise NotFound()
    return send_back


def correction_list_for_user(*, user, status=None) -> QuerySet:
    """Staff see corrections in their jurisdiction; anyone else sees the ones they reported."""
    if user.is_authenticated and user.is_staff_member():
        qs = Correction.objects.filter(scope_filter(user, "region_code") | Q(reported_by=user))
    elif user.is_authenticated:
        qs = Correction.objects.filter(reported_by=user)
    else:
        qs = Correction.objects.none()
    qs = qs.select_related("reported_by", "reviewed_by", "target_type")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-reported_at", "-id")


def correction_get_for_user(*, user, id) -> Correction:
    correction = correction_list_for_user(user=user).filter(pk=id).first()
    if correction is None:
        raise NotFound()
    return correction


def batch_list_for_user(*, user) -> QuerySet:
    """A file may span districts, so a batch has no region: every staff member sees the batches' metadata
    (department, file name, counts; no personal data)."""
    if not (user.is_authenticated and user.is_staff_member()):
        return SourceBatch.objects.none()
    return SourceBatch.objects.select_related("imported_by").order_by("-imported_at", "-id")


def comparison_run_list(*, user) -> QuerySet:
    if not (user.is_authenticated and user.is_staff_member()):
        return ComparisonRun.objects.none()
    return ComparisonRun.objects.filter(scope_filter(user, "region_code") | Q(region_code="")).order_by("-started_at")[:20]


def overview_counts(*, user, today=None) -> dict:
    today = today or timezone.localdate()
    licences = licence_list_for_user(user=user)
    return {
        "licences": licences.count(),
        "licences_expired": licences.filter(Q(status=Licence.Status.EXPIRED) | Q(valid_to__lt=today)).count(),
        "zones": zone_list_for_user(user=user).count(),
        "key_points": key_point_list_for_user(user=user).count(),
        "findings_open": finding_list_for_user(user=user).exclude(status=Finding.Status.RESOLVED).count(),
        "corrections_pending": correction_list_for_user(user=user, status=Correction.Status.PENDING).count(),
    }


# Fields of correctable records that hold personal data, and how they are masked (model name, field) → kind.
CORRECTION_MASKS = {
    ("frontagezone", "responsible_name"): "name",
    ("frontagezone", "responsible_phone"): "phone",
    ("place", "address"): "address",
}


def correction_mask_kind(*, model_name: str, field: str) -> str | None:
    """The masking kind of a correctable field ("name", "phone", "address"), or None if it holds no personal data."""
    return CORRECTION_MASKS.get((model_name, field))


def correction_target_get(*, target_type: str, id) -> object:
    """The record a correction is about, unscoped (for callers that check access themselves)."""
    model = {"licence": Licence, "zone": FrontageZone, "key_point": KeyPoint, "place": Place}[target_type]
    qs = model.objects.select_related("region") if model is Place else model.objects.select_related("source_batch")
    target = qs.filter(pk=id).first()
    if target is None:
        raise NotFound()
    return target


def correction_target_get_for_user(*, user, target_type: str, id) -> object:
    """The record a user may report a correction on, else 404 (so walking ids tells nothing).

    Staff: the records of their jurisdiction (through the same selectors as the lists). A merchant: the
    records of its own business (its places, the licences it holds or that name its places, the zones and
    key points of its places). A citizen sees no ledger record, so none.
    """
    if user is None or not user.is_authenticated:
        raise NotFound()
    if user.is_staff_member():
        if target_type == "place":
            place = correction_target_get(target_type="place", id=id)
            if not covers_code(user, place.region.code if place.region_id else ""):
                raise NotFound()
            return place
        getter = {"licence": licence_get_for_user, "zone": zone_get_for_user, "key_point": key_point_get_for_user}[target_type]
        return getter(user=user, id=id)
    if not user.entity_id:
        raise NotFound()
    entity_id = user.entity_id
    own = {
        "place": Place.objects.select_related("region").filter(operator_id=entity_id),
        "licence": Licence.objects.select_related("source_batch").filter(Q(holder_id=entity_id) | Q(place__operator_id=entity_id)),
        "zone": FrontageZone.objects.select_related("source_batch").filter(Q(place__operator_id=entity_id) | Q(responsible_entity_id=entity_id)),
        "key_point": KeyPoint.objects.select_related("source_batch").filter(place__operator_id=entity_id),
    }[target_type]
    target = own.filter(pk=id).first()
    if target is None:
        raise NotFound()
    return target
