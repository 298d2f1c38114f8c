"""Reads of duty (勤务) by who asks, and the figures other apps read: who is on duty where and when, officer-hours.

Squad leaders, dispatchers, leaders, supervisors and administrators read the rosters and posts of the squads
in their jurisdiction (by the squad's region code); officers read their own shifts. A roster, shift or post of another
district answers "not found", exactly like one that does not exist.
"""
import datetime as dt
from collections import defaultdict
from functools import reduce
from operator import or_

from django.db.models import Q
from django.utils import timezone

from apps.accounts.jurisdiction import EVERYTHING, jurisdiction_prefixes, staff_memberships
from apps.accounts.models import Membership, Role, User
from apps.duty.models import Post, Roster, Shift, ShiftAssignment
from apps.duty.policy import READERS
from apps.gbcp.errors import NotFound
from apps.gbcp.models import Grid, Organization

SQUAD_MEMBER_ROLES = (Role.OFFICER, Role.SQUAD_LEADER)


def week_monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def local_instant(day: dt.date, at: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, at))


def _reader_q(user, field: str) -> Q | None:
    """None for everything; else ``field`` (a region code path) inside the regions where the user reads duty."""
    if jurisdiction_prefixes(user) is EVERYTHING:
        return None
    prefixes = sorted({m.organization.region.scope for m in staff_memberships(user, READERS)})
    if not prefixes:
        return Q(pk__in=[])
    return reduce(or_, (Q(**{f"{field}__startswith": p}) for p in prefixes))


def may_read(user) -> bool:
    """Whether the user may open the roster pages at all (officers have their own shifts only)."""
    return bool(user is not None and user.is_authenticated and (user.is_superuser or staff_memberships(user, READERS)))


def _scoped(qs, user, field):
    visible = _reader_q(user, field)
    return qs if visible is None else qs.filter(visible)


# --- squads, officers, posts --------------------------------------------------------------------------

def squad_list_for_user(*, user):
    """Enforcement teams (squads) whose roster the user may read."""
    qs = Organization.objects.filter(is_active=True, kind=Organization.Kind.ENFORCEMENT_TEAM).select_related("region").defer("region__boundary")
    return _scoped(qs, user, "region__code").order_by("region__code", "level", "name", "pk")


def squad_get_for_user(*, user, id) -> Organization:
    squad = squad_list_for_user(user=user).filter(pk=id).first()
    if squad is None:
        raise NotFound()
    return squad


def squad_officers(*, squad):
    """Active users serving in the squad as officer or squad leader: the only people its roster may name."""
    return User.objects.filter(
        is_active=True, memberships__organization=squad, memberships__is_active=True, memberships__role__in=list(SQUAD_MEMBER_ROLES),
    ).distinct().order_by("username")


def is_squad_officer(*, squad, user_id) -> bool:
    return Membership.objects.filter(organization=squad, user_id=user_id, user__is_active=True, is_active=True,
                                     role__in=list(SQUAD_MEMBER_ROLES)).exists()


def squad_grids(*, squad):
    return Grid.objects.filter(squad=squad).order_by("code")


def squad_grids_for_user(*, user):
    """The grids of the squads the user reads."""
    return Grid.objects.filter(squad__in=squad_list_for_user(user=user)).order_by("code")


def post_list_for_user(*, user, squad=None, active=True):
    qs = _scoped(Post.objects.select_related("squad__region", "grid"), user, "squad__region__code")
    if squad is not None:
        qs = qs.filter(squad=squad)
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs.order_by("squad_id", "name", "pk")


def post_get_for_user(*, user, id) -> Post:
    post = post_list_for_user(user=user, active=None).filter(pk=id).first()
    if post is None:
        raise NotFound()
    return post


# --- rosters, shifts, assignments --------------------------------------------------------------------

def roster_list_for_user(*, user, squad=None):
    qs = _scoped(Roster.objects.select_related("squad__region").defer("squad__region__boundary"), user, "squad__region__code")
    if squad is not None:
        qs = qs.filter(squad=squad)
    return qs.order_by("-week_start", "squad__region__code", "pk")


def roster_get_for_user(*, user, id) -> Roster:
    roster = roster_list_for_user(user=user).filter(pk=id).first()
    if roster is None:
        raise NotFound()
    return roster


def roster_of_week(*, squad, week_start):
    return Roster.objects.filter(squad=squad, week_start=week_monday(week_start)).select_related("squad__region").first()


def roster_shifts(*, roster):
    """The roster's shifts with their officers and posts (three queries, whatever the size)."""
    return (roster.shifts.select_related("squad__region", "post").defer("squad__region__boundary")
            .prefetch_related("assignments__officer", "assignments__post").order_by("starts_at", "pk"))


def shift_get_for_user(*, user, id) -> Shift:
    shift = _scoped(Shift.objects.select_related("roster", "squad__region"), user, "squad__region__code").filter(pk=id).first()
    if shift is None:
        raise NotFound()
    return shift


def assignment_get_for_user(*, user, id) -> ShiftAssignment:
    qs = _scoped(ShiftAssignment.objects.select_related("shift__squad__region", "officer", "post"), user, "shift__squad__region__code")
    found = qs.filter(pk=id).first()
    if found is None:
        raise NotFound()
    return found


def overlapping_assignments(*, officer_id, starts_at, ends_at, exclude_shift_id=None):
    """The officer's assignments on shifts overlapping [starts_at, ends_at) (any squad)."""
    qs = ShiftAssignment.objects.filter(officer_id=officer_id, shift__starts_at__lt=ends_at, shift__ends_at__gt=starts_at)
    if exclude_shift_id is not None:
        qs = qs.exclude(shift_id=exclude_shift_id)
    return qs.select_related("shift__squad").order_by("shift__starts_at")


def my_shifts(*, user, start, end):
    """The caller's own shifts overlapping [start, end), with the post (the mobile client's "my duty")."""
    if user is None or not user.is_authenticated:
        return ShiftAssignment.objects.none()
    return (ShiftAssignment.objects.filter(officer=user, shift__starts_at__lt=end, shift__ends_at__gt=start)
            .select_related("shift__squad", "post__grid", "post__squad").order_by("shift__starts_at", "pk"))


def on_duty_at(*, user, when, region_code=None, grid=None):
    """Who is on duty at ``when``, among the squads the user may read: assignments of shifts running then, in the region
    (squad's region code under ``region_code``) or in the grid (a post whose area meets the grid, or no post and the
    grid's own squad)."""
    qs = _scoped(ShiftAssignment.objects.filter(shift__starts_at__lte=when, shift__ends_at__gt=when), user, "shift__squad__region__code")
    if region_code:
        qs = qs.filter(shift__squad__region__code__startswith=region_code)
    if grid is not None:
        qs = qs.filter(Q(post__grid=grid) | Q(post__area__intersects=grid.boundary) | Q(post__point__intersects=grid.boundary)
                       | Q(post__isnull=True, shift__squad_id=grid.squad_id))
    return qs.select_related("officer", "post", "shift__squad").order_by("shift__squad_id", "officer__username")


def posts_between(*, officer_id, start, end) -> list:
    """The officer's assignments at an active post whose shift runs at some moment of [start, end] (the device
    geofence: the post's area while its shift runs); one query."""
    return list(ShiftAssignment.objects.filter(officer_id=officer_id, post__isnull=False, post__is_active=True,
                                               shift__starts_at__lte=end, shift__ends_at__gt=start)
                .select_related("shift", "post__grid").order_by("shift__starts_at", "pk"))


# --- read by evaluation and analytics --------------------------------------------------------------------

def officer_hours(*, start, end, organization_ids=None) -> dict[int, float]:
    """squad id → officer-hours on duty inside [start, end): every assignment's shift, clipped to the period."""
    qs = ShiftAssignment.objects.filter(shift__starts_at__lt=end, shift__ends_at__gt=start)
    if organization_ids is not None:
        qs = qs.filter(shift__squad_id__in=list(organization_ids))
    hours = defaultdict(float)
    for squad_id, starts_at, ends_at in qs.order_by().values_list("shift__squad_id", "shift__starts_at", "shift__ends_at").iterator(chunk_size=2000):
        hours[squad_id] += (min(ends_at, end) - max(starts_at, start)).total_seconds() / 3600
    return dict(hours)


def rostered_days(*, first: dt.date, last: dt.date) -> dict[int, int]:
    """squad id → how many days of [first, last] lie in a week the squad has a roster for."""
    found = defaultdict(int)
    rows = Roster.objects.filter(week_start__lte=last, week_start__gt=first - dt.timedelta(days=7)).order_by().values_list("squad_id", "week_start")
    for squad_id, week_start in rows:
        days = (min(last, week_start + dt.timedelta(days=6)) - max(first, week_start)).days + 1
        found[squad_id] += max(days, 0)
    return dict(found)
