"""Patrol plans (top down by planners, bottom up by an officer on patrol) and the assignments they generate."""
import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.jurisdiction import staff_organizations
from apps.accounts.models import Membership, Role
from apps.gbcp.audit import acting_as
from apps.gbcp.errors import ApplicationError
from apps.gbcp.models import Grid, Place
from apps.inspection.models import Assignment, InspectionRecord, PatrolPlan
from apps.inspection.policy import INSPECTOR_ROLES, require
from apps.inspection.services._common import check_kinds, place_max_intervals
from apps.ledger.selectors import key_point_interval_days


def _key_point_intervals(place_ids) -> dict:
    return key_point_interval_days(place_ids=list(place_ids)) or {}


@transaction.atomic
def plan_create(*, user, name, region_code, place_kinds, interval_days, starts_on=None, ends_on=None, squad=None) -> PatrolPlan:
    """A top-down plan set by city or district staff for their area."""
    require(user=user, step="plan", subject=PatrolPlan(region_code=region_code))
    check_kinds(place_kinds)
    if not 1 <= int(interval_days) <= 366:
        raise ApplicationError(_("The frequency is between 1 and 366 days."), code="invalid_interval")
    with acting_as(user):
        return PatrolPlan.objects.create(
            name=name.strip() or _("Patrol plan"), origin=PatrolPlan.Origin.TOP_DOWN, region_code=region_code,
            place_kinds=list(place_kinds), interval_days=interval_days, starts_on=starts_on or timezone.localdate(),
            ends_on=ends_on, squad=squad, created_by=user,
        )


@transaction.atomic
def plan_start_on_patrol(*, user, grid: Grid | None = None, place_kinds=None, interval_days=7, name="") -> PatrolPlan:
    """A bottom-up plan: an officer on patrol starts one for his grid, or else for his squad's street."""
    squad = next(iter(staff_organizations(user, INSPECTOR_ROLES)), None)
    region_code = grid.region.code if grid is not None else squad.region.code if squad is not None else ""
    require(user=user, step="start_patrol", subject=PatrolPlan(region_code=region_code))
    if not region_code:
        raise ApplicationError(_("You serve in no squad."), code="no_squad")
    place_kinds = list(place_kinds or [Place.Kind.RESTAURANT, Place.Kind.SHOP, Place.Kind.STREET_SEGMENT])
    check_kinds(place_kinds)
    with acting_as(user):
        plan = PatrolPlan.objects.create(
            name=name or _("Patrol of %(area)s") % {"area": grid.name if grid else squad.region.name},
            origin=PatrolPlan.Origin.BOTTOM_UP, region_code=region_code, grid=grid, place_kinds=place_kinds,
            interval_days=interval_days, starts_on=timezone.localdate(), squad=squad, created_by=user,
        )
    # The patrol's first round is today: every place of the area gets an assignment due now.
    plan_generate_assignments(user=user, plan=plan, until=timezone.localdate())
    return plan


def plan_places(plan: PatrolPlan):
    qs = Place.objects.filter(region__code__startswith=plan.region_code, kind__in=plan.place_kinds, is_active=True)
    if plan.grid_id:
        qs = qs.filter(grid_id=plan.grid_id)
    return qs.select_related("region", "grid__squad").order_by("id")


def place_interval_days(plan: PatrolPlan, places) -> dict:
    """interval = min(plan frequency, key-point interval from the ledger, the longest its risk level allows), at least one day."""
    key_points = _key_point_intervals([p.pk for p in places])
    risk_caps = place_max_intervals([p.pk for p in places])
    intervals = {}
    for place in places:
        days = plan.interval_days
        if key_points.get(place.pk):
            days = min(days, int(key_points[place.pk]))
        if risk_caps.get(place.pk):
            days = min(days, int(risk_caps[place.pk]))
        intervals[place.pk] = max(1, days)
    return intervals


def _squad_members(org_ids):
    members = {}
    for m in Membership.objects.filter(organization_id__in=org_ids, role=Role.OFFICER, is_active=True).order_by("user_id"):
        members.setdefault(m.organization_id, []).append(m.user_id)
    return members


@transaction.atomic
def plan_generate_assignments(*, user, plan: PatrolPlan, until: dt.date) -> list[Assignment]:
    """Due dates per place from the later of the plan start and the last inspection, every interval, up to ``until``; no duplicates."""
    require(user=user, step="generate_assignments", subject=plan)
    end = min(until, plan.ends_on) if plan.ends_on else until
    places = list(plan_places(plan))
    intervals = place_interval_days(plan, places)
    last_seen = {}
    for place_id, at in InspectionRecord.objects.filter(place__in=places).values_list("place_id", "inspected_at").order_by("inspected_at"):
        last_seen[place_id] = timezone.localtime(at).date()
    existing = set(Assignment.objects.filter(plan=plan).values_list("place_id", "due_on"))
    latest_due = {}
    for place_id, due in sorted(existing, key=lambda row: row[1]):
        latest_due[place_id] = due
    squads = {p.pk: (p.grid.squad if p.grid_id and p.grid.squad_id else plan.squad) for p in places}
    members = _squad_members({s.pk for s in squads.values() if s is not None})
    created = []
    with acting_as(user):
        for place in places:
            interval = dt.timedelta(days=intervals[place.pk])
            if place.pk in latest_due:
                due = latest_due[place.pk] + interval
            elif place.pk in last_seen:
                due = max(plan.starts_on, last_seen[place.pk] + interval)
            else:
                due = plan.starts_on
            while due <= end:
                if (place.pk, due) not in existing:
                    squad = squads[place.pk]
                    assignment = Assignment.objects.create(plan=plan, place=place, region_code=place.region.code, due_on=due, squad=squad)
                    if squad is not None and members.get(squad.pk):
                        assignment.assignees.set(members[squad.pk])
                    created.append(assignment)
                due += interval
    return created


@transaction.atomic
def assignment_sweep_overdue(*, user=None, today=None) -> int:
    """Open assignments past their due date become overdue (a beat task calls this daily)."""
    today = today or timezone.localdate()
    with acting_as(user):
        overdue = list(Assignment.objects.filter(status=Assignment.Status.OPEN, due_on__lt=today))
        for assignment in overdue:
            assignment.status = Assignment.Status.OVERDUE
            assignment.save(update_fields=["status"])
    return len(overdue)
