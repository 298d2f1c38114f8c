"""Traccar's own OsmAnd decoder test (OsmAndProtocolDecoderTest, testDecodeQuery and testDecodeJson), replayed against
our endpoint: every request Traccar decodes is accepted here and stored with the values Traccar would keep.

The requests are Traccar's, with two changes: the device id is one of ours (with its token), and the times are fresh
(a 2013 time is past the retention period), each written in the same form as Traccar's (unix seconds, milliseconds,
ISO 8601 with Z, and the local "yyyy-MM-dd HH:mm:ss" with an unencoded "+" for the space)."""
import datetime as dt
import json
import zoneinfo

import pytest
from django.utils import timezone

from apps.devices.models import DeviceStatus, Position
from tests.devices.conftest import TOKEN

URL = "/api/devices/osmand/"


def ago(seconds):
    return timezone.now() - dt.timedelta(seconds=seconds)


def local(when, zone="Asia/Shanghai"):
    """Traccar's "yyyy-MM-dd HH:mm:ss", with "+" for the space as the test sends it unencoded."""
    return when.astimezone(zoneinfo.ZoneInfo(zone)).strftime("%Y-%m-%d+%H:%M:%S")


def query(api, device, text):
    response = api.get(f"{URL}?{text.replace('{id}', device.code)}&token={TOKEN}")
    return response


def last(device):
    return Position.objects.filter(device=device).order_by("-received_at", "-id").first()


@pytest.mark.django_db
def test_the_query_requests_traccar_decodes_are_stored_as_traccar_would_store_them(api, vehicle_device, settings):
    settings.DEVICE_LOCAL_TIME_ZONE = "Asia/Shanghai"
    t = {n: ago(3600 - n * 60) for n in range(12)}

    # hdop is hdop (no unit), not an accuracy in metres; an ISO time with Z.
    iso = t[1].astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H%%3A%M%%3A%SZ")
    assert query(api, vehicle_device, f"id={{id}}&lat=42.06288&lon=-88.23412&timestamp={iso}&hdop=6.0&altitude=224.0&speed=0.0").status_code == 200
    p = last(vehicle_device)
    assert (p.lat, p.lon, p.hdop, p.accuracy, p.altitude, p.speed_kmh) == (42.06288, -88.23412, 6.0, None, 224.0, 0.0)
    assert p.recorded_at == t[1].replace(microsecond=0)

    # Unix milliseconds.
    ms = int(t[2].timestamp() * 1000)
    assert query(api, vehicle_device, f"id={{id}}&lat=42.06288&lon=-88.23412&timestamp={ms}&hdop=6.0&altitude=224.0&speed=0.0").status_code == 200
    assert abs(last(vehicle_device).recorded_at - t[2]) < dt.timedelta(milliseconds=1)

    # The local form, read in the configured zone (not as UTC).
    assert query(api, vehicle_device, f"lat=49.60688&lon=6.15788&timestamp={local(t[3])}&altitude=384.7&speed=0.0&id={{id}}").status_code == 200
    assert last(vehicle_device).recorded_at == t[3].replace(microsecond=0)

    seconds = int(t[4].timestamp())
    assert query(api, vehicle_device, f"id={{id}}&timestamp={seconds}&lat=60.0&lon=30.0&speed=0.0&bearing=0.0&altitude=0&hdop=0.0").status_code == 200
    assert last(vehicle_device).hdop == 0.0
    assert query(api, vehicle_device, f"id={{id}}&timestamp={seconds + 1}&lat=60.0&lon=30.0").status_code == 200

    # No timestamp: the server's time, as Traccar does ("deviceid" for "id", "heading" for "bearing").
    before = timezone.now()
    assert query(api, vehicle_device, "lat=60.0&lon=30.0&speed=0.0&heading=0.0&vacc=0&hacc=0&altitude=0&deviceid={id}").status_code == 200
    assert before <= last(vehicle_device).recorded_at <= timezone.now()
    response = query(api, vehicle_device, "id={id}&lat=41.666667&lon=-0.883333&altitude=350.059479&speed=0.000000&batt=87")
    assert response.status_code == 200 and response.json()["stored"] == 1
    assert last(vehicle_device).battery == 87.0

    # "location" instead of lat and lon.
    assert query(api, vehicle_device, f"id={{id}}&timestamp={int(t[6].timestamp())}&location=60.0,30.0").status_code == 200
    assert (last(vehicle_device).lat, last(vehicle_device).lon) == (60.0, 30.0)

    # Fields Traccar keeps as attributes (ignition, rpm, fuel) do not refuse the point; the speed is in knots.
    assert query(api, vehicle_device, f"id={{id}}&timestamp={int(t[7].timestamp())}&lat=40.7232948571&lon=-74.0061408571"
                                      "&bearing=7.19889788244&speed=40&ignition=true&rpm=933&fuel=24").status_code == 200
    assert last(vehicle_device).speed_kmh == pytest.approx(40 * 1.852)

    # Only cell towers and Wi-Fi networks: stored at the last known position.
    known = DeviceStatus.objects.get(device=vehicle_device).point
    response = query(api, vehicle_device, f"id={{id}}&timestamp={int(t[11].timestamp())}&cell=257,02,16,2224&cell=257,02,16,2223,-90"
                                          "&wifi=00-14-22-01-23-45,-80&wifi=00-1C-B3-09-85-15,-70")
    assert response.status_code == 200 and response.json()["stored"] == 1
    p = last(vehicle_device)
    assert (p.lat, p.lon) == (known.y, known.x) and p.recorded_at == t[11].replace(microsecond=0)

    # Without a device id Traccar decodes nothing; here it is refused.
    assert api.get(f"{URL}?timestamp={int(t[8].timestamp())}&lat=60.0&lon=30.0&token={TOKEN}").status_code in (400, 401)
    assert Position.objects.filter(device=vehicle_device).count() == 10


@pytest.mark.django_db
def test_cell_and_wifi_only_before_any_fix_marks_the_device_seen_and_stores_nothing(api, vehicle_device):
    response = query(api, vehicle_device, f"id={{id}}&timestamp={int(ago(30).timestamp())}&cell=257,02,16,2224&wifi=00-14-22-01-23-45,-80")
    assert response.status_code == 200 and response.json()["stored"] == 0
    assert not Position.objects.filter(device=vehicle_device).exists()
    assert DeviceStatus.objects.get(device=vehicle_device).last_seen_at is not None
    # Neither coordinates nor radio: still a clear refusal.
    assert query(api, vehicle_device, f"id={{id}}&timestamp={int(ago(20).timestamp())}").status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize("value, expected", [("true", True), ("false", False), ("1", True), ("0", False)])
def test_charge_is_kept(api, vehicle_device, value, expected):
    assert query(api, vehicle_device, f"id={{id}}&timestamp={int(ago(10).timestamp())}&lat=39.9&lon=116.4&batt=50&charge={value}").status_code == 200
    assert last(vehicle_device).charging is expected


@pytest.mark.django_db
def test_a_charge_that_is_not_a_yes_or_no_is_refused(api, vehicle_device):
    response = query(api, vehicle_device, f"id={{id}}&timestamp={int(ago(10).timestamp())}&lat=39.9&lon=116.4&charge=maybe")
    assert response.status_code == 400 and not Position.objects.filter(device=vehicle_device).exists()


def json_request(device, when, coords, battery, extras=None):
    stamp = when.astimezone(dt.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    location = {"timestamp": stamp, "coords": coords, "is_moving": False, "odometer": 0, "event": "motionchange", "battery": battery,
                "activity": {"type": "still"}, "extras": extras or {}}
    return {"location": location, "device_id": device.code}


@pytest.mark.django_db
def test_the_json_requests_traccar_decodes_are_stored_as_traccar_would_store_them(api, vehicle_device):
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    bodies = [
        json_request(vehicle_device, ago(400), {"latitude": 37.4219983, "longitude": -122.084, "accuracy": 5, "speed": 0, "heading": -1, "altitude": 5},
                     {"level": 1, "is_charging": False}),
        json_request(vehicle_device, ago(300), {"latitude": 37.4219983, "longitude": -122.084, "accuracy": 5, "speed": 0, "heading": -1, "altitude": 5},
                     {"level": 1, "is_charging": False},
                     extras={"device_string_test": "long_device_id", "device_bool_test": True, "device_integer_test": 1, "device_double_test": 1.345}),
        json_request(vehicle_device, ago(200), {"speed_accuracy": -1, "speed": -1, "longitude": -122.406417, "ellipsoidal_altitude": 0, "floor": None,
                                                "heading_accuracy": -1, "latitude": 37.785834000000001, "accuracy": 5, "altitude_accuracy": -1,
                                                "altitude": 0, "heading": -1}, {"level": -1, "is_charging": False}),
        json_request(vehicle_device, ago(100), {"latitude": -6.1148096, "longitude": 106.6837015, "accuracy": 3.8, "speed": 18.67, "speed_accuracy": 0.26,
                                                "heading": 63, "heading_accuracy": 0.28, "altitude": 35.7, "altitude_accuracy": 3.8},
                     {"is_charging": True, "level": 0.79}),
    ]
    for body in bodies:
        response = api.post(URL, json.dumps(body), content_type="application/json")
        assert response.status_code == 200, response.content
    rows = list(Position.objects.filter(device=vehicle_device).order_by("recorded_at"))
    assert len(rows) == 4
    assert (rows[0].accuracy, rows[0].bearing, rows[0].battery, rows[0].charging) == (5.0, None, 100.0, False)
    assert (rows[2].speed_kmh, rows[2].bearing, rows[2].battery) == (None, None, None)  # -1 means unknown
    assert rows[3].speed_kmh == pytest.approx(18.67 * 3.6) and rows[3].battery == pytest.approx(79.0) and rows[3].charging is True
