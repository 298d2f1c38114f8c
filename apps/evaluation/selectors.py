"""Reads of evaluation: which units a person may judge, units and their organisations, rollup sums, schemes.

Who may see a scorecard (docs/EVALUATION.md §9): supervisors, leaders, analysts and administrators for the
organisations inside their jurisdiction; a squad leader for the squad he leads; superusers everything. Any other
unit answers "not found", exactly like one that does not exist.
"""
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, Sum

from apps.accounts.jurisdiction import EVERYTHING, jurisdiction_prefixes, staff_memberships
from apps.accounts.models import Membership, Role
from apps.duty import selectors as duty_selectors
from apps.evaluation.figures import TALLY_FIELDS, Tally
from apps.evaluation.models import AssessmentScheme, DailyRollup, RollupRun
from apps.gbcp.errors import NotFound
from apps.gbcp.models import Organization

JUDGE_ROLES = (Role.SUPERVISOR, Role.LEADER, Role.ANALYST, Role.ADMINISTRATOR)
DRAFT_ROLES = (Role.SUPERVISOR, Role.LEADER, Role.ANALYST, Role.ADMINISTRATOR)
OFFICER_ROLES = (Role.OFFICER, Role.SQUAD_LEADER)
PUBLISH_ROLES = (Role.SUPERVISOR, Role.LEADER, Role.ADMINISTRATOR)


def _organizations():
    return Organization.objects.filter(is_active=True).exclude(kind=Organization.Kind.HOTLINE_CENTRE).select_related("region").defer("region__boundary")


def children_map() -> dict[int, list[int]]:
    """parent id → child ids, over all organisations (one query; the tree is small: hundreds of rows)."""
    children = defaultdict(list)
    for pk, parent in Organization.objects.order_by().values_list("pk", "parent_id"):
        if parent is not None:
            children[parent].append(pk)
    return children


def descendants(unit_id: int, children=None) -> list[int]:
    """desc(u) of docs/EVALUATION.md §1: the unit and every organisation below it."""
    children = children_map() if children is None else children
    found, todo = [], [unit_id]
    while todo:
        pk = todo.pop()
        if pk not in found:
            found.append(pk)
            todo.extend(children.get(pk, ()))
    return sorted(found)


def _judge_prefixes(user):
    """Region-code prefixes the user judges in; EVERYTHING for superusers."""
    if jurisdiction_prefixes(user) is EVERYTHING:
        return EVERYTHING
    return sorted({m.organization.region.scope for m in staff_memberships(user, JUDGE_ROLES)})


def unit_list_for_user(*, user, kind=None, q=None):
    """The organisations the user may see scorecards of, by region code."""
    prefixes = _judge_prefixes(user)
    qs = _organizations()
    if prefixes is not EVERYTHING:
        visible = Q(pk__in=[])
        for prefix in prefixes:
            visible |= Q(region__code__startswith=prefix)
        led = [m.organization_id for m in staff_memberships(user, [Role.SQUAD_LEADER])]
        if led:
            children = children_map()
            visible |= Q(pk__in=[pk for unit in led for pk in descendants(unit, children)])
        qs = qs.filter(visible)
    if kind == "district":
        qs = qs.filter(kind=Organization.Kind.ENFORCEMENT_TEAM, level=Organization.Level.DISTRICT)
    elif kind == "street":
        qs = qs.filter(kind=Organization.Kind.ENFORCEMENT_TEAM, level=Organization.Level.STREET)
    elif kind == "department":
        qs = qs.filter(kind=Organization.Kind.FUNCTIONAL_DEPARTMENT)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(short_name__icontains=q))
    return qs.order_by("region__code", "level", "name", "pk")


def default_unit_kind(user) -> str:
    """What the scorecard list shows first: the districts to a city-wide judge, the streets to everyone else."""
    prefixes = _judge_prefixes(user)
    return "district" if prefixes is EVERYTHING or any(len(p) <= 4 for p in prefixes) else "street"


def unit_get_for_user(*, user, id) -> Organization:
    unit = unit_list_for_user(user=user).filter(pk=id).first()
    if unit is None:
        raise NotFound()
    return unit


def may_judge(user) -> bool:
    """Whether the user may open the evaluation pages at all (the list may still be empty)."""
    return bool(user is not None and user.is_authenticated and (user.is_superuser or staff_memberships(user, JUDGE_ROLES + (Role.SQUAD_LEADER,))))


def units_of_kind(*, unit_kind: str, region):
    """The units a scheme ranks: district bureaus, street squads or functional departments inside a region."""
    qs = _organizations()
    if unit_kind == AssessmentScheme.UnitKind.DISTRICT:
        qs = qs.filter(kind=Organization.Kind.ENFORCEMENT_TEAM, level=Organization.Level.DISTRICT)
    elif unit_kind == AssessmentScheme.UnitKind.STREET:
        qs = qs.filter(kind=Organization.Kind.ENFORCEMENT_TEAM, level=Organization.Level.STREET)
    else:
        qs = qs.filter(kind=Organization.Kind.FUNCTIONAL_DEPARTMENT)
    return qs.filter(region__code__startswith=region.scope).order_by("region__code", "name", "pk")


def officer_counts() -> dict[int, set]:
    """organisation id → the ids of its active officers and squad leaders (the memberships as they are today)."""
    found = defaultdict(set)
    rows = Membership.objects.filter(is_active=True, user__is_active=True, role__in=list(OFFICER_ROLES)).values_list("organization_id", "user_id")
    for org, user in rows:
        found[org].add(user)
    return found


@dataclass
class OfficerBasis:
    """匹配度's O over a period (docs/EVALUATION.md §2): headcounts from the memberships while no organisation of the
    comparison has a duty roster in the period; else officer-hours: the rostered hours on duty (apps.duty), plus, for the
    days without a roster, the members × the nominal hours of a day, so that squads with and without rosters compare."""

    members: dict  # organisation id → set of user ids
    hours: dict  # organisation id → officer-hours on duty from the rosters, inside the period
    rostered: dict  # organisation id → days of the period lying in a rostered week
    days: int
    nominal_daily: float

    def headcount(self, ids) -> int:
        return len(set().union(*(self.members.get(i, set()) for i in ids)))

    def officer_hours(self, ids) -> float:
        return sum(self.hours.get(i, 0.0) + len(self.members.get(i, ())) * (self.days - self.rostered.get(i, 0)) * self.nominal_daily for i in ids)

    def pair(self, ids, parent_ids) -> tuple[float, float]:
        """(O_u, O_parent) in one unit: officer-hours when any organisation under the parent has a roster, else heads."""
        if any(self.rostered.get(i) for i in parent_ids):
            return self.officer_hours(ids), self.officer_hours(parent_ids)
        return self.headcount(ids), self.headcount(parent_ids)


def officer_basis(*, period) -> OfficerBasis:
    """Three queries: the memberships, the rostered weeks and the officer-hours on duty in the period."""
    return OfficerBasis(
        members=officer_counts(), hours=duty_selectors.officer_hours(start=period.start, end=period.end),
        rostered=duty_selectors.rostered_days(first=period.first, last=period.last), days=(period.last - period.first).days + 1,
        nominal_daily=settings.DUTY_NOMINAL_WEEKLY_HOURS / 7,
    )


def rollup_sums(*, first, last) -> dict[int, Tally]:
    """organisation id → its tally over the days [first, last] from the rollup (one grouped query)."""
    rows = (DailyRollup.objects.filter(day__gte=first, day__lte=last).order_by().values("organization_id")
            .annotate(**{name: Sum(name) for name in TALLY_FIELDS}))
    return {row["organization_id"]: Tally.from_mapping(row) for row in rows}


def rollup_days(*, organization_ids, first, last):
    """(day, tally) of the organisations together, day by day (one grouped query)."""
    rows = (DailyRollup.objects.filter(organization_id__in=list(organization_ids), day__gte=first, day__lte=last).order_by("day")
            .values("day").annotate(**{name: Sum(name) for name in TALLY_FIELDS}))
    return [(row["day"], Tally.from_mapping(row)) for row in rows]


def last_rollup_run():
    return RollupRun.objects.filter(finished_at__isnull=False).order_by("-finished_at").first()


# --- schemes ----------------------------------------------------------------------------------------

def scheme_list_for_user(*, user):
    """Published schemes for every staff member; drafts for leaders, supervisors, analysts whose jurisdiction holds the scheme's region."""
    if user is None or not user.is_authenticated:
        return AssessmentScheme.objects.none()
    qs = AssessmentScheme.objects.select_related("region").defer("region__boundary").prefetch_related("indicators")
    if user.is_superuser:
        return qs
    if not user.is_staff_member():
        return qs.none()
    draft_prefixes = sorted({m.organization.region.scope for m in staff_memberships(user, DRAFT_ROLES)})
    drafts = Q(pk__in=[])
    for prefix in draft_prefixes:
        drafts |= Q(region__code__startswith=prefix)
    return qs.filter(Q(published=True) | drafts)


def scheme_get_for_user(*, user, id) -> AssessmentScheme:
    scheme = scheme_list_for_user(user=user).filter(pk=id).first()
    if scheme is None:
        raise NotFound()
    return scheme


def may_publish(*, user, scheme) -> bool:
    """A supervisor, leader or administrator whose jurisdiction holds the scheme's region publishes its ranking."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return any(scheme.region.code.startswith(m.organization.region.scope) for m in staff_memberships(user, PUBLISH_ROLES))
