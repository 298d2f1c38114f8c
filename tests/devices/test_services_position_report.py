"""One OsmAnd point per request: the one-statement path on PostgreSQL and the full rules give the same answers."""
import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from apps.devices import services
from apps.devices.models import Alarm, Position
from tests.devices.conftest import TOKEN

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="the one-statement path is PostgreSQL's")


def point(seconds_ago, lat=39.9163, lon=116.3972, battery=None, speed=12.0):
    return (timezone.now() - dt.timedelta(seconds=seconds_ago), lat, lon, speed, 90.0, None, 5.0, battery)


def active(device, kind):
    return Alarm.objects.filter(device=device, kind=kind, state__in=["raised", "acknowledged"]).first()


@pytest.mark.django_db
def test_a_point_is_stored_once_and_moves_the_unit(vehicle_device):
    p = point(30, battery=80.0)
    first = services.position_report(code=vehicle_device.code.lower(), token=TOKEN, point=p)
    again = services.position_report(code=vehicle_device.code, token=TOKEN, point=p)
    assert (first.stored, again.stored, again.duplicates) == (1, 0, 1)
    assert first.device.code == vehicle_device.code
    status = vehicle_device.status
    status.refresh_from_db()
    assert status.position_at == p[0] and status.point.y == pytest.approx(39.9163) and status.battery == 80.0
    assert status.speed_kmh == 12.0 and status.last_seen_at is not None
    assert Position.objects.filter(device=vehicle_device).count() == 1


@pytest.mark.django_db
def test_a_late_point_is_stored_but_does_not_move_the_unit(vehicle_device):
    services.position_report(code=vehicle_device.code, token=TOKEN, point=point(10, lat=39.95))
    services.position_report(code=vehicle_device.code, token=TOKEN, point=point(600, lat=39.80, battery=55.0))
    vehicle_device.status.refresh_from_db()
    assert vehicle_device.status.point.y == pytest.approx(39.95) and vehicle_device.status.battery is None
    assert Position.objects.filter(device=vehicle_device).count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("token", ["wrong-token", "", None])
def test_a_wrong_or_missing_token_is_refused_with_nothing_stored(vehicle_device, token):
    with pytest.raises(services.DeviceAuthError):
        services.position_report(code=vehicle_device.code, token=token, point=point(5))
    with pytest.raises(services.DeviceAuthError):
        services.position_report(code="110101D99999999X", token=TOKEN, point=point(5))
    assert not Position.objects.filter(device=vehicle_device).exists()


@pytest.mark.django_db
def test_a_revoked_token_is_refused_at_once_and_a_rotated_one_accepted(vehicle_device):
    assert services.position_report(code=vehicle_device.code, token=TOKEN, point=point(20)).stored == 1
    services.device_token_revoke(user=None, device=vehicle_device)
    with pytest.raises(services.DeviceAuthError):
        services.position_report(code=vehicle_device.code, token=TOKEN, point=point(10))
    new = services.device_token_rotate(user=None, device=vehicle_device)
    with pytest.raises(services.DeviceAuthError):
        services.position_report(code=vehicle_device.code, token=TOKEN, point=point(8))
    assert services.position_report(code=vehicle_device.code, token=new, point=point(5)).stored == 1
    assert Position.objects.filter(device=vehicle_device).count() == 2


@pytest.mark.django_db
def test_the_next_point_of_an_offline_device_clears_its_offline_alarm(vehicle_device):
    services.position_report(code=vehicle_device.code, token=TOKEN, point=point(3600))
    vehicle_device.status.refresh_from_db()
    services.devices_offline_sweep(now=vehicle_device.status.last_seen_at + dt.timedelta(hours=1))
    alarm = active(vehicle_device, Alarm.Kind.OFFLINE)
    assert alarm is not None
    services.position_report(code=vehicle_device.code, token=TOKEN, point=point(5))
    alarm.refresh_from_db()
    assert alarm.state == Alarm.State.CLEARED


@pytest.mark.django_db
def test_low_battery_over_osmand_raises_once_and_a_charged_battery_clears_it(vehicle_device):
    services.position_report(code=vehicle_device.code, token=TOKEN, point=point(300, battery=50.0))
    assert active(vehicle_device, Alarm.Kind.LOW_BATTERY) is None
    services.position_report(code=vehicle_device.code, token=TOKEN, point=point(200, battery=15.0))
    services.position_report(code=vehicle_device.code, token=TOKEN, point=point(150, battery=12.0))
    assert Alarm.objects.filter(device=vehicle_device, kind=Alarm.Kind.LOW_BATTERY).count() == 1
    services.position_report(code=vehicle_device.code, token=TOKEN, point=point(100, battery=25.0))  # hysteresis: still low
    assert active(vehicle_device, Alarm.Kind.LOW_BATTERY) is not None
    services.position_report(code=vehicle_device.code, token=TOKEN, point=point(50, battery=31.0))
    assert active(vehicle_device, Alarm.Kind.LOW_BATTERY) is None
    vehicle_device.status.refresh_from_db()
    assert vehicle_device.status.battery == 31.0


@pytest.mark.django_db
def test_an_officer_on_shift_outside_the_grid_gets_the_geofence_rules(officer_device, dc_grid):
    from apps.gbcp.models import Grid

    now = timezone.now()
    services.shift_create(user=None, device=officer_device, grid=dc_grid, starts_at=now - dt.timedelta(hours=2), ends_at=now + dt.timedelta(hours=2))
    outside = Grid.objects.filter(region__code__startswith="110108").first().boundary.point_on_surface
    for minutes_ago in (10, 9, 7, 6):
        services.position_report(code=officer_device.code, token=TOKEN, point=point(minutes_ago * 60, lat=outside.y, lon=outside.x))
    alarm = active(officer_device, Alarm.Kind.GEOFENCE)
    assert alarm is not None and alarm.details["grid"] == dc_grid.code
    inside = dc_grid.boundary.point_on_surface
    services.position_report(code=officer_device.code, token=TOKEN, point=point(60, lat=inside.y, lon=inside.x))
    alarm.refresh_from_db()
    assert alarm.state == Alarm.State.CLEARED


@on_postgresql
@pytest.mark.django_db
def test_on_postgresql_a_point_that_no_rule_needs_is_one_statement(vehicle_device, django_assert_num_queries):
    services.position_report(code=vehicle_device.code, token=TOKEN, point=point(60))  # prepares the statement on this connection
    with django_assert_num_queries(1):
        result = services.position_report(code=vehicle_device.code, token=TOKEN, point=point(30, battery=90.0))
    assert result.stored == 1


@on_postgresql
@pytest.mark.django_db
def test_on_postgresql_a_device_with_an_open_alarm_takes_the_full_rules(vehicle_device, django_assert_max_num_queries):
    services.position_report(code=vehicle_device.code, token=TOKEN, point=point(120, battery=10.0))
    assert active(vehicle_device, Alarm.Kind.LOW_BATTERY) is not None
    before = Position.objects.filter(device=vehicle_device).count()
    with django_assert_max_num_queries(12):
        services.position_report(code=vehicle_device.code, token=TOKEN, point=point(60, battery=11.0))
    # The one statement wrote nothing; the full path stored the point once.
    assert Position.objects.filter(device=vehicle_device).count() == before + 1
