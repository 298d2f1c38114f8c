"""Bulk writes: COPY for new points, the staging path for repeats; each reading once, the first values win."""
import datetime as dt

import pytest
from django.utils import timezone

from apps.devices import services
from apps.devices.models import NoiseReading, Position


def fixes(start, seconds, lat=39.9):
    return [(start + dt.timedelta(seconds=s), lat, 116.4, 10.0, 90.0, None, None, 80.0) for s in seconds]


@pytest.mark.django_db
def test_a_batch_overlapping_an_earlier_one_stores_only_the_new_points_and_keeps_the_first_values(vehicle_device):
    start = timezone.now().replace(microsecond=0) - dt.timedelta(hours=1)
    first = services.positions_ingest(device=vehicle_device, points=fixes(start, range(0, 100)))
    overlap = services.positions_ingest(device=vehicle_device, points=fixes(start, range(50, 150), lat=40.5))
    assert (first.stored, overlap.stored, overlap.duplicates) == (100, 50, 50)
    rows = dict(Position.objects.filter(device=vehicle_device).values_list("recorded_at", "lat"))
    assert len(rows) == 150
    assert rows[start + dt.timedelta(seconds=60)] == 39.9  # repeated: the first value stays
    assert rows[start + dt.timedelta(seconds=120)] == 40.5  # new in the second batch


@pytest.mark.django_db
def test_a_time_repeated_inside_one_batch_is_stored_once_with_its_first_values(vehicle_device):
    start = timezone.now().replace(microsecond=0) - dt.timedelta(hours=1)
    points = fixes(start, [0, 1, 2]) + fixes(start, [1], lat=41.0) + fixes(start, [3])
    result = services.positions_ingest(device=vehicle_device, points=points)
    assert (result.received, result.stored) == (5, 4)
    assert Position.objects.get(device=vehicle_device, recorded_at=start + dt.timedelta(seconds=1)).lat == 39.9


@pytest.mark.django_db
def test_a_repeated_batch_after_a_new_one_in_the_same_transaction_still_counts_right(vehicle_device, noise_sensor):
    from django.db import transaction

    start = timezone.now().replace(microsecond=0) - dt.timedelta(hours=1)
    readings = [(start + dt.timedelta(minutes=m), 60, 50.0, 60.0) for m in range(10)]
    with transaction.atomic():
        a = services.noise_ingest(device=noise_sensor, readings=readings)
        b = services.noise_ingest(device=noise_sensor, readings=readings + [(start + dt.timedelta(minutes=10), 60, 51.0, 61.0)])
        c = services.positions_ingest(device=vehicle_device, points=fixes(start, range(5)))
        d = services.positions_ingest(device=vehicle_device, points=fixes(start, range(7)))
    assert (a.stored, b.stored, c.stored, d.stored) == (10, 1, 5, 2)
    assert NoiseReading.objects.filter(device=noise_sensor).count() == 11
    assert Position.objects.filter(device=vehicle_device).count() == 7
