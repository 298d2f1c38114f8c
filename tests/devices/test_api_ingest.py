"""Ingestion endpoints: the OsmAnd forms the Traccar client sends, batches all-or-nothing, idempotency and device tokens."""
import datetime as dt

import pytest
from django.utils import timezone

from apps.devices import services
from apps.devices.models import NoiseReading, Position
from tests.devices.conftest import TOKEN

LAT, LON = 39.9163, 116.3972  # 故宫东华门附近


def unix(seconds_ago=0):
    return int((timezone.now() - dt.timedelta(seconds=seconds_ago)).timestamp())


def stored(device):
    return Position.objects.filter(device=device).count()


@pytest.mark.django_db
def test_the_classic_traccar_client_get_with_the_token_parameter_is_stored(api, vehicle_device):
    url = (
        f"/api/devices/osmand/?id={vehicle_device.code}&token={TOKEN}&lat={LAT}&lon={LON}&timestamp={unix(5)}"
        "&speed=10.0&bearing=90&altitude=45.5&accuracy=6&batt=87.0"
    )
    response = api.get(url)
    assert response.status_code == 200, response.content
    position = Position.objects.get(device=vehicle_device)
    assert position.lat == pytest.approx(LAT) and position.lon == pytest.approx(LON)
    assert position.speed_kmh == pytest.approx(18.52)  # knots → km/h
    assert position.battery == 87.0 and position.bearing == 90 and position.altitude == 45.5
    vehicle_device.status.refresh_from_db()
    assert vehicle_device.status.point.y == pytest.approx(LAT)


@pytest.mark.django_db
def test_the_traccar_client_post_with_query_or_form_fields_milliseconds_and_iso_times(api, vehicle_device):
    ms = unix(30) * 1000
    assert api.post(f"/api/devices/osmand/?id={vehicle_device.code}&token={TOKEN}&lat={LAT}&lon={LON}&timestamp={ms}").status_code == 200
    iso = (timezone.now() - dt.timedelta(seconds=20)).strftime("%Y-%m-%dT%H:%M:%SZ")
    form = {"id": vehicle_device.code, "token": TOKEN, "lat": LAT, "lon": LON, "timestamp": iso, "speed": "0"}
    assert api.post("/api/devices/osmand/", form, format="multipart").status_code == 200
    from urllib.parse import urlencode

    urlencoded = api.post("/api/devices/osmand/", urlencode({**form, "timestamp": unix(10)}), content_type="application/x-www-form-urlencoded")
    assert urlencoded.status_code == 200
    assert stored(vehicle_device) == 3
    times = sorted(Position.objects.filter(device=vehicle_device).values_list("recorded_at", flat=True))
    assert times[0].timestamp() == ms / 1000


@pytest.mark.django_db
def test_the_json_body_of_newer_traccar_clients_with_a_bearer_header(device_api, vehicle_device):
    body = {
        "device_id": vehicle_device.code,
        "location": {
            "timestamp": (timezone.now() - dt.timedelta(seconds=3)).isoformat(),
            "coords": {"latitude": LAT, "longitude": LON, "speed": 5.0, "heading": 180, "altitude": 40, "accuracy": 4},
            "battery": {"level": 0.55, "is_charging": False},
        },
    }
    assert device_api().post("/api/devices/osmand/", body, format="json").status_code == 200
    position = Position.objects.get(device=vehicle_device)
    assert position.speed_kmh == pytest.approx(18.0) and position.battery == pytest.approx(55.0)


@pytest.mark.django_db
def test_a_repeated_osmand_request_is_stored_once(api, vehicle_device):
    url = f"/api/devices/osmand/?id={vehicle_device.code}&token={TOKEN}&lat={LAT}&lon={LON}&timestamp={unix(60)}"
    first, again = api.get(url).json(), api.get(url).json()
    assert (first["stored"], again["stored"]) == (1, 0)
    assert stored(vehicle_device) == 1


@pytest.mark.django_db
@pytest.mark.parametrize("token", ["wrong-token", "", None])
def test_a_wrong_or_missing_token_is_refused_and_nothing_is_stored(api, device_api, vehicle_device, token):
    query = f"&token={token}" if token is not None else ""
    response = api.get(f"/api/devices/osmand/?id={vehicle_device.code}{query}&lat={LAT}&lon={LON}&timestamp={unix()}")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_device_token"
    batch = device_api(token).post("/api/devices/positions/", {"device": vehicle_device.code, "points": [{"time": unix(), "lat": LAT, "lon": LON}]}, format="json")
    assert batch.status_code == 401
    assert stored(vehicle_device) == 0


@pytest.mark.django_db
def test_an_unknown_device_and_a_revoked_token_look_the_same(api, device_api, vehicle_device):
    unknown = api.get(f"/api/devices/osmand/?id=110101D99999999X&token={TOKEN}&lat={LAT}&lon={LON}&timestamp={unix()}")
    services.device_token_revoke(user=None, device=vehicle_device)
    revoked = device_api().post("/api/devices/positions/", {"device": vehicle_device.code, "points": [{"time": unix(), "lat": LAT, "lon": LON}]}, format="json")
    assert unknown.status_code == revoked.status_code == 401
    assert unknown.json() == revoked.json()
    assert stored(vehicle_device) == 0


@pytest.mark.django_db
def test_a_rotated_token_replaces_the_old_one_at_once(device_api, vehicle_device):
    new = services.device_token_rotate(user=None, device=vehicle_device)
    body = {"device": vehicle_device.code, "points": [{"time": unix(), "lat": LAT, "lon": LON}]}
    assert device_api(TOKEN).post("/api/devices/positions/", body, format="json").status_code == 401
    assert device_api(new).post("/api/devices/positions/", body, format="json").status_code == 200
    vehicle_device.refresh_from_db()
    assert new not in vehicle_device.token_hash and len(vehicle_device.token_hash) == 64


@pytest.mark.django_db
def test_a_batch_is_stored_once_when_sent_again(device_api, vehicle_device, django_assert_max_num_queries):
    points = [{"time": unix(600 - i), "lat": LAT + i * 1e-5, "lon": LON, "speed": 12.5, "battery": 70} for i in range(500)]
    client = device_api()
    # The query count does not grow with the batch: one insert for all points.
    with django_assert_max_num_queries(12):
        first = client.post("/api/devices/positions/", {"device": vehicle_device.code, "points": points}, format="json").json()
    again = client.post("/api/devices/positions/", {"device": vehicle_device.code, "points": points}, format="json").json()
    assert (first["stored"], first["duplicates"]) == (500, 0)
    assert (again["stored"], again["duplicates"]) == (0, 500)
    assert stored(vehicle_device) == 500
    vehicle_device.status.refresh_from_db()
    assert vehicle_device.status.point.y == pytest.approx(LAT + 499e-5)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "bad, field",
    [
        ({"lat": 91.0}, "lat"),
        ({"lon": -180.5}, "lon"),
        ({"lat": "north"}, "lat"),
        ({"time": None}, "time"),
        ({"time": "yesterday"}, "time"),
        ({"time": "FUTURE"}, "time"),
        ({"speed": 5000}, "speed"),
        ({"battery": 140}, "battery"),
        ({"lat": "NaN"}, "lat"),
    ],
)
def test_a_batch_with_one_bad_point_is_refused_whole_naming_the_point(device_api, vehicle_device, bad, field):
    points = [{"time": unix(100 - i), "lat": LAT, "lon": LON} for i in range(10)]
    if bad.get("time") == "FUTURE":
        bad = {"time": unix(-3600)}
    points[7] = {**points[7], **bad}
    if bad.get("time", 0) is None:
        del points[7]["time"]
    response = device_api().post("/api/devices/positions/", {"device": vehicle_device.code, "points": points}, format="json")
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid_payload"
    assert error["details"]["index"] == 7 and error["details"]["field"] == field and error["details"]["reason"]
    assert stored(vehicle_device) == 0


@pytest.mark.django_db
def test_a_batch_must_be_a_non_empty_list_within_the_size_limit(device_api, vehicle_device, settings):
    client = device_api()
    assert client.post("/api/devices/positions/", {"device": vehicle_device.code, "points": []}, format="json").status_code == 400
    assert client.post("/api/devices/positions/", {"device": vehicle_device.code, "points": "x"}, format="json").status_code == 400
    settings.DEVICE_MAX_BATCH = 3
    too_many = [{"time": unix(i), "lat": LAT, "lon": LON} for i in range(4)]
    assert client.post("/api/devices/positions/", {"device": vehicle_device.code, "points": too_many}, format="json").status_code == 400


@pytest.mark.django_db
def test_osmand_refuses_a_point_out_of_range(api, vehicle_device):
    response = api.get(f"/api/devices/osmand/?id={vehicle_device.code}&token={TOKEN}&lat=95&lon={LON}&timestamp={unix()}")
    assert response.status_code == 400 and response.json()["error"]["details"]["field"] == "lat"
    assert stored(vehicle_device) == 0


@pytest.mark.django_db
def test_noise_batches_are_stored_once_and_bad_readings_refuse_the_batch(device_api, noise_sensor):
    readings = [{"time": unix(60 * (10 - i)), "interval_s": 60, "laeq": 55.0 + i * 0.1, "lmax": 66.0} for i in range(10)]
    client = device_api()
    first = client.post("/api/devices/noise/", {"device": noise_sensor.code, "readings": readings}, format="json").json()
    again = client.post("/api/devices/noise/", {"device": noise_sensor.code, "readings": readings}, format="json").json()
    assert (first["stored"], again["stored"], again["duplicates"]) == (10, 0, 10)
    assert NoiseReading.objects.filter(device=noise_sensor).count() == 10
    for bad, field in (({"laeq": 400}, "laeq"), ({"lmax": 40.0}, "lmax"), ({"interval_s": 0}, "interval_s")):
        broken = [dict(r, time=r["time"] - 3600) for r in readings[:5]]
        broken[3].update(bad)
        response = client.post("/api/devices/noise/", {"device": noise_sensor.code, "readings": broken}, format="json")
        assert response.status_code == 400 and response.json()["error"]["details"] == {**response.json()["error"]["details"], "index": 3, "field": field}
    assert NoiseReading.objects.filter(device=noise_sensor).count() == 10


@pytest.mark.django_db
def test_a_gps_device_cannot_send_noise(device_api, vehicle_device):
    response = device_api().post("/api/devices/noise/", {"device": vehicle_device.code, "readings": [{"time": unix(), "laeq": 50}]}, format="json")
    assert response.status_code == 400 and response.json()["error"]["code"] == "wrong_device_kind"


def osmand_json(code, **location):
    base = {"timestamp": (timezone.now() - dt.timedelta(seconds=3)).isoformat(), "coords": {"latitude": LAT, "longitude": LON}}
    return {"device_id": code, "location": {**base, **location}}


@pytest.mark.django_db
@pytest.mark.parametrize("location", [
    {"coords": [1]}, {"battery": 5}, {"coords": {"latitude": LAT, "longitude": LON, "speed": "abc"}}, {"timestamp": 10**400},
    {"timestamp": "9" * 400},
])
def test_odd_osmand_json_is_a_400_with_a_token_and_a_401_without_and_nothing_is_stored(api, device_api, vehicle_device, location):
    body = osmand_json(vehicle_device.code, **location)
    with_token = device_api().post("/api/devices/osmand/", body, format="json")
    assert with_token.status_code == 400 and with_token.json()["error"]["code"] == "invalid_payload"
    anonymous = api.post("/api/devices/osmand/", body, format="json")
    assert anonymous.status_code == 401 and "error" in anonymous.json()
    assert stored(vehicle_device) == 0


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/devices/osmand/", "/api/devices/positions/", "/api/devices/noise/"])
def test_deep_broken_or_oversized_json_is_refused_in_the_error_format(device_api, vehicle_device, path, settings):
    client = device_api()
    deep = client.post(path, "[" * 100000, content_type="application/json")
    assert deep.status_code == 400 and deep.json()["error"]["code"] == "parse_error"
    broken = client.post(path, b"\xff{", content_type="application/json")
    assert broken.status_code == 400 and broken.json()["error"]["code"] == "parse_error"
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    big = client.post(path, '{"device": "' + "x" * 2000 + '"}', content_type="application/json")
    assert big.status_code == 413 and big.json()["error"]["code"] == "too_large"
    assert stored(vehicle_device) == 0
