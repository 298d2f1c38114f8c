"""Reads of patrol inspection by who asks; outside the jurisdiction looks like not there."""
import datetime as dt

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from apps.accounts.jurisdiction import jurisdiction_prefixes, scope_filter, staff_members, staff_organization_ids
from apps.accounts.models import User
from apps.cases.selectors import cases_for_place
from apps.dispatch.selectors import task_list_for_user
from apps.gbcp.errors import NotFound
from apps.gbcp.models import Organization, Place
from apps.inspection.models import (
    Assignment,
    Checklist,
    ChecklistItem,
    Draw,
    Finding,
    InspectionRecord,
    InspectorQualification,
    PatrolPlan,
    RecordAnswer,
    SelfCheck,
    SelfCheckAnswer,
)
from apps.ledger.selectors import licences_for_place


def _staff(user) -> bool:
    return bool(user and user.is_authenticated and user.is_staff_member())


def checklist_list():
    return Checklist.objects.filter(is_active=True).prefetch_related(
        Prefetch("items", queryset=ChecklistItem.objects.filter(is_active=True).select_related("category").order_by("order", "id"))
    ).order_by("place_kind")


def checklist_for_place(*, place) -> Checklist | None:
    return checklist_list().filter(place_kind=place.kind).first()


# --- plans and assignments ---------------------------------------------------------------

def plan_list_for_user(*, user):
    if not _staff(user):
        return PatrolPlan.objects.none()
    return (
        PatrolPlan.objects.filter(scope_filter(user, "region_code"), is_active=True)
        .select_related("grid", "squad", "created_by")
        .annotate(
            n_open=Count("assignments", filter=Q(assignments__status=Assignment.Status.OPEN)),
            n_overdue=Count("assignments", filter=Q(assignments__status=Assignment.Status.OVERDUE)),
            n_done=Count("assignments", filter=Q(assignments__status=Assignment.Status.DONE)),
        )
        .order_by("-created_at", "-id")
    )


def plan_get_for_user(*, user, id) -> PatrolPlan:
    plan = plan_list_for_user(user=user).filter(pk=id).first()
    if plan is None:
        raise NotFound()
    return plan


def assignment_list_for_user(*, user, status=None, mine=False, due_before=None, plan=None):
    if not _staff(user):
        return Assignment.objects.none()
    qs = Assignment.objects.filter(scope_filter(user, "region_code")).select_related("place__region", "plan", "squad", "record")
    if status:
        qs = qs.filter(status__in=status if isinstance(status, (list, tuple)) else [status])
    if mine:
        org_ids = staff_organization_ids(user)
        qs = qs.filter(Q(assignees=user) | Q(squad_id__in=org_ids)).distinct()
    if due_before:
        qs = qs.filter(due_on__lte=due_before)
    if plan is not None:
        qs = qs.filter(plan=plan)
    return qs.order_by("due_on", "id")


def plan_coverage(*, plan: PatrolPlan) -> dict:
    """GeoJSON of the plan's assignments: each place once, coloured by its latest state (done, overdue, open)."""
    features = {}
    rank = {Assignment.Status.OVERDUE: 3, Assignment.Status.OPEN: 2, Assignment.Status.DONE: 1}
    today = timezone.localdate()
    for a in plan.assignments.select_related("place").order_by("due_on"):
        current = features.get(a.place_id)
        state = a.status
        if a.status == Assignment.Status.OPEN and a.due_on < today:
            state = Assignment.Status.OVERDUE
        # A place shows done only when nothing is due yet; the nearest due state wins otherwise.
        if current is None or (a.due_on <= today + dt.timedelta(days=plan.interval_days) and rank[state] > rank[current["properties"]["state"]]):
            features[a.place_id] = {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [a.place.point.x, a.place.point.y]},
                "properties": {"id": a.place_id, "name": a.place.name, "state": state, "due_on": a.due_on.isoformat()},
            }
    return {"type": "FeatureCollection", "features": list(features.values())}


# --- draws ------------------------------------------------------------------------------------

def draw_list_for_user(*, user):
    if not _staff(user):
        return Draw.objects.none()
    return Draw.objects.filter(scope_filter(user, "region_code")).select_related("created_by").order_by("-created_at", "-id")


def draw_get_for_user(*, user, id) -> Draw:
    draw = draw_list_for_user(user=user).filter(pk=id).first()
    if draw is None:
        raise NotFound()
    return draw


def draw_list_to_carry_out(*, user):
    """The draws an inspection by ``user`` may name: the published ones (public anyway; a district's draw is
    carried out by its streets' officers) and the unpublished ones of the user's jurisdiction."""
    if not _staff(user):
        return Draw.objects.none()
    return Draw.objects.filter(Q(is_published=True) | scope_filter(user, "region_code"))


def draw_list_published():
    return Draw.objects.filter(is_published=True).order_by("-published_at", "-id")


def draw_get_published(*, id) -> Draw:
    draw = draw_list_published().filter(pk=id).first()
    if draw is None:
        raise NotFound()
    return draw


def draw_rows(*, draw: Draw) -> list[dict]:
    """The result with place names and addresses and inspector display codes (badge numbers), nothing personal."""
    place_ids = [row["place"] for row in draw.result]
    places = Place.objects.in_bulk(place_ids)
    codes = {row["id"]: row["code"] for row in draw.pool}
    # 一公开: the outcome of the inspection that carried out the draw, once there is one.
    outcomes = {}
    for place_id, passed in draw.records.order_by("inspected_at").values_list("place_id", "passed"):
        outcomes[place_id] = passed
    rows = []
    for n, row in enumerate(draw.result, start=1):
        place = places.get(row["place"])
        rows.append({
            "n": n, "place_id": row["place"], "place": place.name if place else "—", "address": place.address if place else "",
            "kind": place.get_kind_display() if place else "", "city_code": place.city_code if place else "",
            "inspectors": [codes.get(i, "?") for i in row["inspectors"]], "passed": outcomes.get(row["place"]),
            "inspected": row["place"] in outcomes,
        })
    return rows


# --- records, findings, self-checks ---------------------------------------------------------------

def record_list_for_user(*, user, place=None, passed=None):
    if not _staff(user):
        return InspectionRecord.objects.none()
    qs = InspectionRecord.objects.filter(scope_filter(user, "region_code")).select_related("place", "officer", "co_officer", "checklist")
    if place is not None:
        qs = qs.filter(place=place)
    if passed is not None:
        qs = qs.filter(passed=passed)
    return qs.order_by("-inspected_at", "-id")


def record_get_for_user(*, user, id) -> InspectionRecord:
    record = (
        record_list_for_user(user=user)
        .prefetch_related(
            Prefetch("answers", queryset=RecordAnswer.objects.select_related("item")),
            Prefetch("findings", queryset=Finding.objects.select_related("item", "task")),
        )
        .filter(pk=id)
        .first()
    )
    if record is None:
        raise NotFound()
    return record


def finding_list_for_user(*, user, place=None, open_only=False):
    if not _staff(user):
        return Finding.objects.none()
    qs = Finding.objects.filter(scope_filter(user, "region_code")).select_related("item", "place", "record", "task")
    if place is not None:
        qs = qs.filter(place=place)
    if open_only:
        qs = qs.filter(task__isnull=True, case_id__isnull=True)
    return qs.order_by("-created_at", "-id")


def finding_get_for_user(*, user, id) -> Finding:
    finding = finding_list_for_user(user=user).filter(pk=id).first()
    if finding is None:
        raise NotFound()
    return finding


def self_check_list_for_user(*, user, place=None):
    """Staff see self-checks in their jurisdiction; a merchant sees its own business's."""
    if user is None or not user.is_authenticated:
        return SelfCheck.objects.none()
    if _staff(user):
        qs = SelfCheck.objects.filter(scope_filter(user, "region_code"))
    elif user.entity_id:
        qs = SelfCheck.objects.filter(entity_id=user.entity_id)
    else:
        return SelfCheck.objects.none()
    if place is not None:
        qs = qs.filter(place=place)
    return qs.select_related("place", "entity", "submitted_by").prefetch_related(
        Prefetch("answers", queryset=SelfCheckAnswer.objects.select_related("item"))
    ).order_by("-submitted_at", "-id")


def self_checks_for_entity(*, entity):
    """For the credit app: every self-check of a business, newest first (no user scoping: credit runs as the system)."""
    return SelfCheck.objects.filter(entity=entity).select_related("place").order_by("-submitted_at", "-id")


def inspections_for_entity(*, entity):
    """For the credit app: inspection records of the business's places, newest first."""
    return InspectionRecord.objects.filter(place__operator=entity).select_related("place").order_by("-inspected_at", "-id")


def merchant_places(*, user):
    if user is None or not user.is_authenticated or not user.entity_id:
        return Place.objects.none()
    return Place.objects.filter(operator_id=user.entity_id, is_active=True).select_related("region").order_by("id")


def co_officer_list_for_user(*, user):
    """Who a user may name as the second officer of an inspection: active staff of the organisations serving
    inside the user's jurisdiction or over it (a street's squad, the district bureau above it). Whether the one
    named is an officer of the place is the service's question."""
    if not _staff(user):
        return User.objects.none()
    organizations = Organization.objects.all()
    prefixes = jurisdiction_prefixes(user)
    if prefixes is not None:
        above = {prefix[:n] for prefix in prefixes for n in range(1, len(prefix) + 1)}
        organizations = organizations.filter(scope_filter(user, "region__code") | Q(region__scope__in=above))
    return staff_members(organization_ids=organizations.values_list("pk", flat=True))


def qualification_for(*, user) -> InspectorQualification | None:
    return InspectorQualification.objects.filter(user=user).first()


# --- a place's history -------------------------------------------------------------------------------

def place_history(*, user, place) -> dict:
    """Everything known about a place: ledger licences, inspections, findings, self-checks, tasks, cases."""
    history = {
        "records": list(record_list_for_user(user=user, place=place)[:50]),
        "findings": list(finding_list_for_user(user=user, place=place)[:50]),
        "self_checks": list(self_check_list_for_user(user=user, place=place)[:50]),
        "assignments": list(assignment_list_for_user(user=user).filter(place=place).exclude(status=Assignment.Status.DONE)[:20]),
        "licences": list(licences_for_place(place=place)),
        "tasks": list(task_list_for_user(user=user).filter(place=place)[:50]),
        "cases": list(cases_for_place(user=user, place=place)[:50]),
    }
    return history
