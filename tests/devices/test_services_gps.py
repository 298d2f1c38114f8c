"""GPS events: geofence during a shift, low battery, offline devices; and pruning old raw points."""
import datetime as dt

import pytest
from django.utils import timezone

from apps.devices import services
from apps.devices.models import Alarm, NoiseReading, Position


def fix(when, point, battery=None):
    return (when, point.y, point.x, 3.0, 90.0, 50.0, 5.0, battery)


def active(device, kind):
    return Alarm.objects.filter(device=device, kind=kind, state__in=["raised", "acknowledged"]).first()


@pytest.fixture
def shift(officer_device, dc_grid):
    now = timezone.now()
    return services.shift_create(user=None, device=officer_device, grid=dc_grid, starts_at=now - dt.timedelta(hours=2), ends_at=now + dt.timedelta(hours=2))


@pytest.mark.django_db
def test_an_officer_outside_the_grid_during_the_shift_raises_a_geofence_alarm_after_the_grace_time(officer_device, dc_grid, shift):
    from apps.gbcp.models import Grid

    inside = dc_grid.boundary.point_on_surface
    outside = Grid.objects.filter(region__code__startswith="110108").first().boundary.point_on_surface  # far away, in 海淀
    t0 = timezone.now() - dt.timedelta(minutes=30)
    services.positions_ingest(device=officer_device, points=[fix(t0, inside)])
    # One minute outside: GPS jitter or a quick errand, no alarm yet.
    services.positions_ingest(device=officer_device, points=[fix(t0 + dt.timedelta(minutes=1), outside), fix(t0 + dt.timedelta(minutes=2), outside)])
    assert active(officer_device, Alarm.Kind.GEOFENCE) is None
    services.positions_ingest(device=officer_device, points=[fix(t0 + dt.timedelta(minutes=4), outside), fix(t0 + dt.timedelta(minutes=5), outside)])
    alarm = active(officer_device, Alarm.Kind.GEOFENCE)
    assert alarm is not None and alarm.started_at == t0 + dt.timedelta(minutes=1)
    assert alarm.details["grid"] == dc_grid.code and alarm.task_id is None  # an internal event, not a task
    assert alarm.last_seen_at == t0 + dt.timedelta(minutes=5)
    services.positions_ingest(device=officer_device, points=[fix(t0 + dt.timedelta(minutes=6), inside)])
    alarm.refresh_from_db()
    assert alarm.state == Alarm.State.CLEARED
    assert Alarm.objects.filter(device=officer_device, kind=Alarm.Kind.GEOFENCE).count() == 1


@pytest.mark.django_db
def test_outside_the_grid_without_a_shift_is_no_alarm(officer_device):
    from apps.gbcp.models import Grid

    outside = Grid.objects.filter(region__code__startswith="110108").first().boundary.point_on_surface
    t0 = timezone.now() - dt.timedelta(minutes=30)
    services.positions_ingest(device=officer_device, points=[fix(t0 + dt.timedelta(minutes=i), outside) for i in range(10)])
    assert active(officer_device, Alarm.Kind.GEOFENCE) is None


@pytest.mark.django_db
def test_low_battery_raises_once_and_clears_with_hysteresis(vehicle_device, dongcheng_place):
    p = dongcheng_place.point
    t0 = timezone.now() - dt.timedelta(minutes=10)
    services.positions_ingest(device=vehicle_device, points=[fix(t0, p, 15.0)])
    services.positions_ingest(device=vehicle_device, points=[fix(t0 + dt.timedelta(minutes=1), p, 12.0)])
    assert Alarm.objects.filter(device=vehicle_device, kind=Alarm.Kind.LOW_BATTERY).count() == 1
    services.positions_ingest(device=vehicle_device, points=[fix(t0 + dt.timedelta(minutes=2), p, 25.0)])
    assert active(vehicle_device, Alarm.Kind.LOW_BATTERY) is not None  # not yet 30 %
    services.positions_ingest(device=vehicle_device, points=[fix(t0 + dt.timedelta(minutes=3), p, 60.0)])
    assert active(vehicle_device, Alarm.Kind.LOW_BATTERY) is None


@pytest.mark.django_db
def test_a_silent_device_goes_offline_once_and_comes_back(vehicle_device, dongcheng_place):
    now = timezone.now()
    services.positions_ingest(device=vehicle_device, points=[fix(now - dt.timedelta(minutes=20), dongcheng_place.point)], now=now - dt.timedelta(minutes=20))
    services.devices_offline_sweep(now=now - dt.timedelta(minutes=18))
    assert active(vehicle_device, Alarm.Kind.OFFLINE) is None
    services.devices_offline_sweep(now=now)
    services.devices_offline_sweep(now=now)
    alarm = active(vehicle_device, Alarm.Kind.OFFLINE)
    assert alarm is not None and alarm.details["silent_s"] >= 1200
    assert Alarm.objects.filter(device=vehicle_device, kind=Alarm.Kind.OFFLINE).count() == 1
    services.positions_ingest(device=vehicle_device, points=[fix(now, dongcheng_place.point)])
    alarm.refresh_from_db()
    assert alarm.state == Alarm.State.CLEARED


@pytest.mark.django_db
def test_late_points_are_stored_but_do_not_move_the_unit_back(vehicle_device, dongcheng_place, haidian_place):
    now = timezone.now()
    services.positions_ingest(device=vehicle_device, points=[fix(now - dt.timedelta(minutes=1), dongcheng_place.point)])
    services.positions_ingest(device=vehicle_device, points=[fix(now - dt.timedelta(minutes=5), haidian_place.point)])
    vehicle_device.status.refresh_from_db()
    assert vehicle_device.status.point.equals_exact(dongcheng_place.point, 1e-7)
    assert Position.objects.filter(device=vehicle_device).count() == 2


@pytest.mark.django_db
def test_pruning_deletes_raw_points_older_than_the_retention(vehicle_device, noise_sensor, dongcheng_place, settings):
    now = timezone.now()
    services.positions_ingest(device=vehicle_device, points=[fix(now - dt.timedelta(days=d), dongcheng_place.point) for d in (1, 5, 9)])
    services.noise_ingest(device=noise_sensor, readings=[(now - dt.timedelta(days=d), 60, 50.0, 60.0) for d in (2, 8)])
    result = services.readings_prune(older_than_days=7)
    assert (result["positions"], result["noise_readings"]) == (1, 1)
    assert Position.objects.filter(device=vehicle_device).count() == 2
    assert NoiseReading.objects.filter(device=noise_sensor).count() == 1
