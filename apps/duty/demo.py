"""Demo of duty (勤务): this week's roster for every demo squad with officers and grids, so the pages show something.

Each squad gets a grid post on its first grid (the grid its officers' devices patrol, so the geofence keeps its area)
and a fixed point post (at one of its places); officers alternate 早班 07:00–15:00 and 中班 15:00–23:00 day by day, with
a 晚班 23:00–07:00 (crossing midnight) on Friday and Saturday, and the squad leader stands a 高峰勤务 17:00–19:00 on
workdays at the point post. Planned through the services, as the squad leader (or the demo administrator)."""
import datetime as dt

from django.utils import timezone

from apps.accounts.models import Role, User
from apps.duty import selectors, services
from apps.duty.models import Post, Roster, Shift
from apps.gbcp.models import Organization, Place

EARLY = (dt.time(7), dt.time(15), Shift.Kind.EARLY)
DAY = (dt.time(15), dt.time(23), Shift.Kind.DAY)
NIGHT = (dt.time(23), dt.time(7), Shift.Kind.NIGHT)
PEAK = (dt.time(17), dt.time(19), Shift.Kind.PEAK)


def _planner(squad):
    leader = User.objects.filter(memberships__organization=squad, memberships__role=Role.SQUAD_LEADER, memberships__is_active=True,
                                 is_active=True).order_by("pk").first()
    return leader or User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()


def _posts(user, squad, grid):
    grid_post = Post.objects.filter(squad=squad, kind=Post.Kind.GRID, grid=grid, source=Post.Source.MANUAL).first() or services.post_create(
        user=user, squad=squad, name=f"{grid.name} 巡查岗", kind=Post.Kind.GRID, grid=grid)
    place = Place.objects.filter(grid__squad=squad).order_by("pk").first()
    name, point = (f"{place.name} 定点岗", place.point) if place is not None else (f"{grid.name} 定点岗", grid.boundary.point_on_surface)
    point_post = Post.objects.filter(squad=squad, kind=Post.Kind.POINT).first() or services.post_create(
        user=user, squad=squad, name=name, kind=Post.Kind.POINT, point=point, radius_m=150, hours_start=dt.time(17), hours_end=dt.time(19))
    return grid_post, point_post


def _week(user, squad, monday, grid_post, point_post):
    roster = services.roster_ensure(user=user, squad=squad, week_start=monday)
    officers = list(User.objects.filter(memberships__organization=squad, memberships__role=Role.OFFICER, memberships__is_active=True,
                                        is_active=True).distinct().order_by("username"))
    leaders = list(selectors.squad_officers(squad=squad).exclude(pk__in=[o.pk for o in officers]))
    for offset in range(7):
        day = monday + dt.timedelta(days=offset)
        turns = [EARLY, DAY] if offset % 2 == 0 else [DAY, EARLY]
        early_officer = None
        for i, (start, end, kind) in enumerate([EARLY, DAY]):
            shift = services.shift_create(user=user, roster=roster, date=day, start_time=start, end_time=end, kind=kind, post=grid_post)
            for n, officer in enumerate(officers):
                if turns[n % 2] == (start, end, kind):
                    services.assignment_add(user=user, shift=shift, officer=officer)
                    if kind == Shift.Kind.EARLY and early_officer is None:
                        early_officer = officer
        if offset in (4, 5) and early_officer is not None:
            night = services.shift_create(user=user, roster=roster, date=day, start_time=NIGHT[0], end_time=NIGHT[1], kind=NIGHT[2], post=grid_post)
            services.assignment_add(user=user, shift=night, officer=early_officer)
        if offset < 5 and leaders:
            peak = services.shift_create(user=user, roster=roster, date=day, start_time=PEAK[0], end_time=PEAK[1], kind=PEAK[2], post=point_post)
            services.assignment_add(user=user, shift=peak, officer=leaders[0])
    return roster


def seed(ctx):
    ctx.say("Duty: this week's rosters of the demo squads")
    monday = selectors.week_monday(timezone.localdate())
    made = 0
    squads = Organization.objects.filter(kind=Organization.Kind.ENFORCEMENT_TEAM, is_active=True, grids__isnull=False).distinct().order_by("pk")
    for squad in squads.select_related("region"):
        if Roster.objects.filter(squad=squad, week_start=monday).exists() or not selectors.squad_officers(squad=squad).exists():
            continue
        user = _planner(squad)
        grid = selectors.squad_grids(squad=squad).first()
        if user is None or grid is None:
            continue
        grid_post, point_post = _posts(user, squad, grid)
        _week(user, squad, monday, grid_post, point_post)
        made += 1
    ctx.say(f"  duty rosters made: {made}")
