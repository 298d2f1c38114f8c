"""Every write of duty (勤务): posts, rosters, shifts, who serves on them, copying last week, adopting a peak post.

Each service asks the policy (the squad's leader plans; a dispatcher or leader of its district adjusts: else 403),
validates before it saves (400 with a stable code and a message in the caller's language) and records the acting
user in the history. No officer serves on two overlapping shifts, in any squad; only the squad's own officers serve.
"""
import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from apps.duty import selectors
from apps.duty.models import Post, Roster, Shift, ShiftAssignment
from apps.duty.policy import require_edit
from apps.gbcp.audit import acting_as
from apps.gbcp.errors import ApplicationError


def _error(message, code, field_name=None):
    return ApplicationError(message, code=code, details={field_name: [message]} if field_name else None)


def shift_instants(day: dt.date, start_time: dt.time, end_time: dt.time) -> tuple[dt.datetime, dt.datetime]:
    """The shift's start and end instants; an end not after the start is the next day's (a night shift)."""
    end_day = day + dt.timedelta(days=1) if end_time <= start_time else day
    starts_at, ends_at = selectors.local_instant(day, start_time), selectors.local_instant(end_day, end_time)
    if (ends_at - starts_at) > dt.timedelta(hours=settings.DUTY_MAX_SHIFT_HOURS):
        raise _error(_("A shift lasts at most %(hours)d hours.") % {"hours": settings.DUTY_MAX_SHIFT_HOURS}, "shift_too_long", "end_time")
    return starts_at, ends_at


def _check_free(*, officer, starts_at, ends_at, exclude_shift_id=None):
    """400 when the officer already serves on a shift overlapping [starts_at, ends_at). The officer's row is locked first,
    so two planners placing the same officer at once are taken one after the other (PostgreSQL; SQLite writes serially)."""
    get_user_model().objects.select_for_update().filter(pk=officer.pk).first()
    clash = selectors.overlapping_assignments(officer_id=officer.pk, starts_at=starts_at, ends_at=ends_at,
                                              exclude_shift_id=exclude_shift_id).first()
    if clash is not None:
        other = clash.shift
        raise _error(_("%(officer)s is already on duty then: %(squad)s, %(shift)s.") % {
            "officer": officer, "squad": other.squad, "shift": _shift_label(other)}, "shift_overlap", "officer")


def _shift_label(shift) -> str:
    return f"{date_format(shift.date, 'SHORT_DATE_FORMAT')} {shift.start_time:%H:%M}–{shift.end_time:%H:%M}"


def _check_member(*, squad, officer):
    if officer is None or not selectors.is_squad_officer(squad=squad, user_id=officer.pk):
        raise _error(_("Only an officer of %(squad)s can serve on its roster.") % {"squad": squad}, "not_a_squad_officer", "officer")


def _check_post(*, squad, post):
    if post is not None and (post.squad_id != squad.pk or not post.is_active):
        raise _error(_("The post does not exist."), "does_not_exist", "post")


# --- posts ---------------------------------------------------------------------------------------------

@transaction.atomic
def post_create(*, user, squad, name: str, kind: str, grid=None, area=None, point=None, radius_m=None, hours_start=None, hours_end=None,
                note: str = "", source: str = Post.Source.MANUAL) -> Post:
    """A named post of the squad: a grid, a polygon, or a point with a radius (metres), with usual hours if given."""
    name = (name or "").strip()
    if not name:
        raise _error(_("A post needs a name."), "name_required", "name")
    post = Post(squad=squad, name=name[:100], kind=kind, note=(note or "").strip()[:200], source=source, hours_start=hours_start, hours_end=hours_end,
                created_by=user if getattr(user, "pk", None) else None)
    require_edit(user=user, subject=post)
    if kind == Post.Kind.GRID:
        if grid is None or (grid.squad_id != squad.pk and not grid.region.code.startswith(squad.region.scope)):
            raise _error(_("Choose a grid of the squad."), "grid_required", "grid")
        post.grid = grid
    elif kind == Post.Kind.AREA:
        if area is None or area.empty or not area.valid:
            raise _error(_("Draw the post's area."), "area_required", "area")
        post.area = area
    elif kind == Post.Kind.POINT:
        if point is None or not radius_m or not 10 <= int(radius_m) <= 5000:
            raise _error(_("Give the post's point and a radius of 10 to 5000 metres."), "point_required", "radius_m")
        post.point, post.radius_m = point, int(radius_m)
    else:
        raise _error(_("Unknown kind of post."), "invalid_kind", "kind")
    if (hours_start is None) != (hours_end is None):
        raise _error(_("Give both hours of the post, or neither."), "hours_incomplete", "hours_end")
    with acting_as(user):
        post.save()
    return post


@transaction.atomic
def post_deactivate(*, user, post: Post) -> Post:
    """A post no longer used: kept for the shifts that named it, offered no more."""
    require_edit(user=user, subject=post)
    with acting_as(user):
        post.is_active = False
        post.save(update_fields=["is_active"])
    return post


# --- rosters and shifts ---------------------------------------------------------------------------------

@transaction.atomic
def roster_ensure(*, user, squad, week_start: dt.date) -> Roster:
    """The squad's roster of the week holding ``week_start`` (made empty if it does not exist yet)."""
    monday = selectors.week_monday(week_start)
    roster = Roster(squad=squad, week_start=monday)
    require_edit(user=user, subject=roster)
    found = Roster.objects.filter(squad=squad, week_start=monday).first()
    if found is not None:
        return found
    with acting_as(user):
        roster.created_by = user if getattr(user, "pk", None) else None
        roster.save()
    return roster


def _check_day(roster, day):
    if not roster.week_start <= day <= roster.week_end:
        raise _error(_("The day must lie in the roster's week (%(first)s to %(last)s).") % {
            "first": roster.week_start.isoformat(), "last": roster.week_end.isoformat()}, "day_outside_week", "date")


@transaction.atomic
def shift_create(*, user, roster: Roster, date: dt.date, start_time: dt.time, end_time: dt.time, kind: str = Shift.Kind.DAY,
                 note: str = "", post=None) -> Shift:
    require_edit(user=user, subject=roster)
    _check_day(roster, date)
    _check_post(squad=roster.squad, post=post)
    if kind not in Shift.Kind.values:
        raise _error(_("Unknown kind of shift."), "invalid_kind", "kind")
    starts_at, ends_at = shift_instants(date, start_time, end_time)
    shift = Shift(roster=roster, squad_id=roster.squad_id, date=date, start_time=start_time, end_time=end_time, kind=kind, post=post,
                  starts_at=starts_at, ends_at=ends_at, note=(note or "").strip()[:200])
    with acting_as(user):
        shift.save()
    return shift


@transaction.atomic
def shift_update(*, user, shift: Shift, date: dt.date, start_time: dt.time, end_time: dt.time, kind: str, note: str = "") -> Shift:
    """New times for a shift; every officer on it must still be free then."""
    shift = Shift.objects.select_for_update(of=("self",)).select_related("roster", "squad__region").get(pk=shift.pk)
    require_edit(user=user, subject=shift)
    _check_day(shift.roster, date)
    if kind not in Shift.Kind.values:
        raise _error(_("Unknown kind of shift."), "invalid_kind", "kind")
    starts_at, ends_at = shift_instants(date, start_time, end_time)
    for assignment in shift.assignments.select_related("officer"):
        _check_free(officer=assignment.officer, starts_at=starts_at, ends_at=ends_at, exclude_shift_id=shift.pk)
    shift.date, shift.start_time, shift.end_time, shift.kind = date, start_time, end_time, kind
    shift.starts_at, shift.ends_at, shift.note = starts_at, ends_at, (note or "").strip()[:200]
    with acting_as(user):
        shift.save()
    return shift


@transaction.atomic
def shift_delete(*, user, shift: Shift) -> None:
    require_edit(user=user, subject=shift)
    with acting_as(user):
        shift.assignments.all().delete()
        shift.delete()


@transaction.atomic
def assignment_add(*, user, shift: Shift, officer, post=None) -> ShiftAssignment:
    """Put an officer of the squad on the shift, optionally at one of the squad's posts."""
    require_edit(user=user, subject=shift)
    _check_member(squad=shift.squad, officer=officer)
    post = post or shift.post
    _check_post(squad=shift.squad, post=post)
    _check_free(officer=officer, starts_at=shift.starts_at, ends_at=shift.ends_at)
    with acting_as(user):
        return ShiftAssignment.objects.create(shift=shift, officer=officer, post=post)


@transaction.atomic
def assignment_remove(*, user, assignment: ShiftAssignment) -> None:
    require_edit(user=user, subject=assignment.shift)
    with acting_as(user):
        assignment.delete()


@transaction.atomic
def post_for_period(*, user, squad, name: str, starts_at: dt.datetime, ends_at: dt.datetime, grid=None, area=None, point=None,
                    radius_m=None, note: str = "") -> Shift:
    """A post of the squad held for one period only (an emergency's hours, for instance): the post (a grid, a polygon or
    a point with a radius, exactly one) with those hours, and a shift of the squad's roster from ``starts_at`` to
    ``ends_at`` (to the minute) at it. Officers are added to the shift afterwards, as to any other. Returns the shift."""
    given = [kind for kind, value in ((Post.Kind.GRID, grid), (Post.Kind.AREA, area), (Post.Kind.POINT, point)) if value is not None]
    if len(given) != 1:
        raise _error(_("Give the post one place: a grid, an area or a point."), "place_required", "kind")
    start, end = (timezone.localtime(at).replace(second=0, microsecond=0) for at in (starts_at, ends_at))
    if end <= start:
        raise _error(_("The period must end after it starts."), "period_invalid", "end_time")
    if end - start > dt.timedelta(hours=settings.DUTY_MAX_SHIFT_HOURS):
        raise _error(_("A shift lasts at most %(hours)d hours.") % {"hours": settings.DUTY_MAX_SHIFT_HOURS}, "shift_too_long", "end_time")
    post = post_create(user=user, squad=squad, name=name, kind=given[0], grid=grid, area=area, point=point, radius_m=radius_m,
                       hours_start=start.time(), hours_end=end.time(), note=note)
    roster = roster_ensure(user=user, squad=squad, week_start=start.date())
    return shift_create(user=user, roster=roster, date=start.date(), start_time=start.time(), end_time=end.time(), kind=Shift.Kind.DAY,
                        note=post.name, post=post)


@dataclass
class CopyReport:
    shifts: int = 0
    assignments: int = 0
    skipped: list = field(default_factory=list)  # sentences: who was left out and why


@transaction.atomic
def roster_copy_previous(*, user, roster: Roster) -> CopyReport:
    """Copy last week's shifts and officers into this (empty) week, seven days later. An officer who has left the squad,
    or is on duty elsewhere by then, is left out and named in the report; a post no longer active is dropped."""
    require_edit(user=user, subject=roster)
    if roster.shifts.exists():
        raise ApplicationError(_("This week has shifts already; copy only into an empty week."), code="roster_not_empty", status_code=409)
    previous = Roster.objects.filter(squad_id=roster.squad_id, week_start=roster.week_start - dt.timedelta(days=7)).first()
    if previous is None:
        raise ApplicationError(_("Last week has no roster to copy."), code="no_previous_roster")
    report = CopyReport()
    week = dt.timedelta(days=7)
    members = set(selectors.squad_officers(squad=roster.squad).values_list("pk", flat=True))
    with acting_as(user):
        for old in selectors.roster_shifts(roster=previous):
            starts_at, ends_at = shift_instants(old.date + week, old.start_time, old.end_time)
            new = Shift.objects.create(roster=roster, squad_id=roster.squad_id, date=old.date + week, start_time=old.start_time,
                                       end_time=old.end_time, kind=old.kind,
                                       post=old.post if old.post and old.post.is_active else None, starts_at=starts_at, ends_at=ends_at, note=old.note)
            report.shifts += 1
            for a in old.assignments.all():
                if a.officer_id not in members:
                    report.skipped.append(_("%(officer)s: no longer an officer of the squad") % {"officer": a.officer})
                    continue
                if selectors.overlapping_assignments(officer_id=a.officer_id, starts_at=starts_at, ends_at=ends_at).exists():
                    report.skipped.append(_("%(officer)s: already on duty on %(shift)s") % {"officer": a.officer, "shift": _shift_label(new)})
                    continue
                ShiftAssignment.objects.create(shift=new, officer_id=a.officer_id, post=a.post if a.post and a.post.is_active else None)
                report.assignments += 1
    return report


@transaction.atomic
def peak_adopt(*, user, squad, grid, weekday: int, hour: int, on_date: dt.date) -> Shift:
    """Turn a peak suggestion (grid × hour of the week) into a post on the grid and a peak shift on the next such
    weekday from ``on_date``, starting at the peak hour and lasting ``DUTY_PEAK_SHIFT_HOURS``; officers are added after."""
    if not 0 <= weekday <= 6 or not 0 <= hour <= 23:
        raise _error(_("No such hour of the week."), "invalid_cell", "hour")
    if grid.squad_id != squad.pk:
        raise _error(_("The grid does not exist."), "does_not_exist", "grid")
    day = on_date + dt.timedelta(days=(weekday - on_date.weekday()) % 7)
    start = dt.time(hour)
    end = dt.time((hour + settings.DUTY_PEAK_SHIFT_HOURS) % 24)
    name = _("Peak post %(grid)s %(hour)02d:00") % {"grid": grid.name, "hour": hour}
    post = Post.objects.filter(squad=squad, grid=grid, kind=Post.Kind.GRID, source=Post.Source.PEAK, hours_start=start, is_active=True).first()
    if post is None:
        post = post_create(user=user, squad=squad, name=name, kind=Post.Kind.GRID, grid=grid, hours_start=start, hours_end=end,
                           source=Post.Source.PEAK, note=_("from the peak suggestions"))
    roster = roster_ensure(user=user, squad=squad, week_start=day)
    existing = roster.shifts.filter(date=day, start_time=start, kind=Shift.Kind.PEAK).first()
    if existing is not None:
        return existing
    return shift_create(user=user, roster=roster, date=day, start_time=start, end_time=end, kind=Shift.Kind.PEAK, note=post.name, post=post)
