"""Devices' geofences follow duty: while the officer holds a post on a rostered shift, outside the post is outside."""
import datetime as dt
import random

import pytest
from django.utils import timezone

from apps.accounts.models import Role
from apps.devices import services as device_services
from apps.devices.models import Alarm, Device
from apps.duty import services
from apps.duty.models import Post
from apps.gbcp.demo.geometry import random_points_in
from apps.gbcp.distance import box_around, metres_between
from tests.personas import user_with

pytestmark = pytest.mark.django_db


def fix(when, point):
    return (when, point.y, point.x, 3.0, 90.0, 50.0, 5.0, None)


def _device(officer, grid):
    device = device_services.device_register(user=None, name="勤务测试 GPS", kind=Device.Kind.OFFICER_GPS, officer=officer,
                                             organization=grid.squad, grid=grid, token="duty-test-token-0123456789").device
    now = timezone.now()
    device_services.shift_create(user=None, device=device, grid=grid, starts_at=now - dt.timedelta(hours=2), ends_at=now + dt.timedelta(hours=2))
    return device


def _far_point_in_grid(grid, centre, metres):
    return next(p for p in random_points_in(grid.boundary, 200, random.Random(7)) if metres_between(p, centre) > metres)


def _on_post_now(leader, squad, officer, post):
    start = (timezone.localtime() - dt.timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)
    roster = services.roster_ensure(user=leader, squad=squad, week_start=start.date())
    shift = services.shift_create(user=leader, roster=roster, date=start.date(), start_time=start.time(),
                                  end_time=(start + dt.timedelta(hours=3)).time(), post=post)
    services.assignment_add(user=leader, shift=shift, officer=officer)
    return shift


def test_outside_the_post_but_inside_the_grid_raises_while_the_post_is_held(grid, squad):
    leader = user_with(role=Role.SQUAD_LEADER, organization=squad, name="gf-leader")
    officer = user_with(role=Role.OFFICER, organization=squad, name="gf-officer")
    device = _device(officer, grid)
    centre = grid.boundary.point_on_surface
    post = services.post_create(user=leader, squad=squad, name="路口岗", kind=Post.Kind.AREA, area=box_around(centre, 60))
    _on_post_now(leader, squad, officer, post)
    away = _far_point_in_grid(grid, centre, 250)
    t0 = timezone.now() - dt.timedelta(minutes=20)
    device_services.positions_ingest(device=device, points=[fix(t0, centre)])
    device_services.positions_ingest(device=device, points=[fix(t0 + dt.timedelta(minutes=m), away) for m in range(1, 7)])
    alarm = Alarm.objects.get(device=device, kind=Alarm.Kind.GEOFENCE, state="raised")
    assert alarm.details["post"] == post.pk and alarm.details["grid"] == grid.code
    device_services.positions_ingest(device=device, points=[fix(t0 + dt.timedelta(minutes=8), centre)])
    alarm.refresh_from_db()
    assert alarm.state == Alarm.State.CLEARED


def test_without_a_post_the_grid_stays_the_geofence(grid, squad):
    officer = user_with(role=Role.OFFICER, organization=squad, name="gf-free")
    device = _device(officer, grid)
    centre = grid.boundary.point_on_surface
    away = _far_point_in_grid(grid, centre, 250)
    t0 = timezone.now() - dt.timedelta(minutes=20)
    device_services.positions_ingest(device=device, points=[fix(t0 + dt.timedelta(minutes=m), away) for m in range(0, 7)])
    assert not Alarm.objects.filter(device=device, kind=Alarm.Kind.GEOFENCE).exists()
