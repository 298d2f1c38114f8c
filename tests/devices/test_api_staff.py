"""Staff endpoints: devices, units, tracks, noise series and alarms, each with an insider, an outsider and an anonymous caller."""
import datetime as dt

import pytest
from django.utils import timezone

from apps.devices import services
from apps.devices.models import Alarm
from tests.devices.conftest import recent_local


def loud(sensor, start, n=11, level=80.0):
    services.noise_ingest(device=sensor, readings=[(start + dt.timedelta(minutes=i + 1), 60, level, level + 5) for i in range(n)])
    return Alarm.objects.get(device=sensor, kind=Alarm.Kind.NOISE, state="raised")


@pytest.mark.django_db
def test_device_list_and_detail_insider_outsider_anonymous(api, api_as, insider, outsider, vehicle_device, haidian_vehicle):
    ids = [d["id"] for d in api_as(insider).get("/api/devices/?page_size=500").json()["results"]]
    assert vehicle_device.pk in ids and haidian_vehicle.pk not in ids
    body = api_as(insider).get(f"/api/devices/{vehicle_device.pk}/").json()
    assert body["code"] == vehicle_device.code and body["kind"] == "vehicle_gps"
    assert body["token_revoked"] is False
    assert "token_hash" not in body
    not_yours = api_as(outsider).get(f"/api/devices/{vehicle_device.pk}/")
    not_there = api_as(outsider).get("/api/devices/999999/")
    assert not_yours.status_code == not_there.status_code == 404 and not_yours.json() == not_there.json()
    assert api.get("/api/devices/").status_code == 401
    assert api.get(f"/api/devices/{vehicle_device.pk}/").status_code == 401


@pytest.mark.django_db
def test_the_device_list_costs_the_same_queries_for_any_page_size(api_as, admin_user, django_assert_max_num_queries):
    client = api_as(admin_user)
    with django_assert_max_num_queries(4):
        small = client.get("/api/devices/?page_size=1")
    with django_assert_max_num_queries(4):
        large = client.get("/api/devices/?page_size=200")
    assert len(large.json()["results"]) > len(small.json()["results"])


@pytest.mark.django_db
def test_units_are_the_latest_positions_in_the_jurisdiction(api, api_as, insider, outsider, vehicle_device, haidian_vehicle, dongcheng_place, haidian_place, django_assert_max_num_queries):
    now = timezone.now()
    services.positions_ingest(device=vehicle_device, points=[(now, dongcheng_place.point.y, dongcheng_place.point.x, 20.0, None, None, None, None)])
    services.positions_ingest(device=haidian_vehicle, points=[(now, haidian_place.point.y, haidian_place.point.x, 20.0, None, None, None, None)])
    with django_assert_max_num_queries(4):
        body = api_as(insider).get("/api/devices/units/geojson/?page_size=2000").json()
    codes = {f["properties"]["code"] for f in body["features"]}
    assert vehicle_device.code in codes and haidian_vehicle.code not in codes
    assert haidian_vehicle.code in {f["properties"]["code"] for f in api_as(outsider).get("/api/devices/units/geojson/").json()["features"]}
    assert api.get("/api/devices/units/geojson/").status_code == 401


@pytest.mark.django_db
def test_a_track_for_a_time_range_for_playback(api, api_as, insider, outsider, vehicle_device, dongcheng_place):
    t0 = timezone.now() - dt.timedelta(hours=1)
    p = dongcheng_place.point
    services.positions_ingest(device=vehicle_device, points=[(t0 + dt.timedelta(minutes=i), p.y + i * 1e-4, p.x, 15.0, None, None, None, None) for i in range(30)])
    start, end = (t0 + dt.timedelta(minutes=10)), (t0 + dt.timedelta(minutes=20))
    url = f"/api/devices/{vehicle_device.pk}/track/"
    body = api_as(insider).get(url, {"from": start.isoformat(), "to": end.isoformat()}).json()
    assert body["geometry"]["type"] == "LineString" and body["properties"]["count"] == 10
    assert body["geometry"]["coordinates"][0][1] == pytest.approx(p.y + 10e-4)
    assert len(body["properties"]["times"]) == 10
    assert api_as(insider).get(url, {"from": "soon"}).status_code == 400
    assert api_as(insider).get(url, {"from": end.isoformat(), "to": start.isoformat()}).status_code == 400
    assert api_as(outsider).get(url).status_code == 404
    assert api.get(url).status_code == 401


@pytest.mark.django_db
def test_the_noise_series_carries_the_limit_at_each_reading(api, api_as, insider, outsider, noise_sensor):
    day, night = recent_local(12), recent_local(23)
    services.noise_ingest(device=noise_sensor, readings=[(night, 60, 50.0, 60.0), (day, 60, 60.0, 70.0)])
    url = f"/api/devices/{noise_sensor.pk}/noise/"
    body = api_as(insider).get(url, {"from": (min(day, night) - dt.timedelta(hours=1)).isoformat(), "to": (max(day, night) + dt.timedelta(hours=1)).isoformat()}).json()
    assert body["limits"] == {"day": 70.0, "night": 55.0, "night_lmax_margin": 15.0}
    limits = {r["laeq"]: (r["limit"], r["night"]) for r in body["readings"]}
    assert limits == {50.0: (55.0, True), 60.0: (70.0, False)}
    assert api_as(outsider).get(url).status_code == 404
    assert api.get(url).status_code == 401


@pytest.mark.django_db
def test_alarms_are_listed_acknowledged_and_cleared_through_the_api(api, api_as, insider, outsider, noise_sensor, haidian_sensor, django_assert_max_num_queries):
    mine = loud(noise_sensor, recent_local(10))
    theirs = loud(haidian_sensor, recent_local(10))
    with django_assert_max_num_queries(4):
        listed = api_as(insider).get("/api/devices/alarms/?state=active&page_size=200").json()
    ids = [a["id"] for a in listed["results"]]
    assert mine.pk in ids and theirs.pk not in ids
    assert api_as(insider).get(f"/api/devices/alarms/{mine.pk}/").json()["device"]["code"] == noise_sensor.code
    assert api_as(outsider).get(f"/api/devices/alarms/{mine.pk}/").status_code == 404
    assert api_as(outsider).post(f"/api/devices/alarms/{mine.pk}/acknowledge/").status_code == 404
    assert api.post(f"/api/devices/alarms/{mine.pk}/acknowledge/").status_code == 401
    acked = api_as(insider).post(f"/api/devices/alarms/{mine.pk}/acknowledge/")
    assert acked.status_code == 200 and acked.json()["state"] == "acknowledged"
    again = api_as(insider).post(f"/api/devices/alarms/{mine.pk}/acknowledge/")
    assert again.status_code == 400 and again.json()["error"]["code"] == "invalid_state"
    cleared = api_as(insider).post(f"/api/devices/alarms/{mine.pk}/clear/", {"reason": "已责令停工"}, format="json").json()
    assert cleared["state"] == "cleared" and cleared["clear_reason"] == "已责令停工"
    assert mine.pk not in [a["id"] for a in api_as(insider).get("/api/devices/alarms/?state=active").json()["results"]]
    assert api.get("/api/devices/alarms/").status_code == 401


@pytest.mark.django_db
def test_an_analyst_may_read_alarms_but_not_handle_them(api_as, analyst, noise_sensor):
    alarm = loud(noise_sensor, recent_local(15))
    assert api_as(analyst).get(f"/api/devices/alarms/{alarm.pk}/").status_code == 200
    response = api_as(analyst).post(f"/api/devices/alarms/{alarm.pk}/acknowledge/")
    assert response.status_code == 403 and response.json()["error"]["code"] == "permission_denied"


@pytest.mark.django_db
def test_the_live_map_page_renders_for_staff(client, insider):
    client.force_login(insider)
    response = client.get("/devices/map/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="livemap"' in html and "/ws/map/" in html and "viewport" in html
    # Task states on the map are named in the page's language, not shown as codes.
    assert 'id="task-status-labels"' in html and "\\u5df2\\u6d3e\\u9063" in html  # 已派遣, JSON-escaped
    client.logout()
    assert client.get("/devices/map/").status_code == 302


@pytest.mark.django_db
def test_every_devices_model_has_an_admin_that_loads(client, admin_user, vehicle_device, noise_sensor):
    client.force_login(admin_user)
    for name in ("device", "shift", "alarm", "devicestatus", "position", "noisereading"):
        assert client.get(f"/admin/devices/{name}/").status_code == 200, name
    assert client.get(f"/admin/devices/device/{vehicle_device.pk}/change/").status_code == 200
    response = client.post("/admin/devices/device/", {"action": "rotate_token", "_selected_action": [vehicle_device.pk]}, follow=True)
    assert response.status_code == 200
    old = vehicle_device.token_hash
    vehicle_device.refresh_from_db()
    assert vehicle_device.token_hash != old
    client.post("/admin/devices/device/", {"action": "revoke_token", "_selected_action": [vehicle_device.pk]})
    vehicle_device.refresh_from_db()
    assert vehicle_device.revoked_at is not None
    assert vehicle_device.history.first().history_user == admin_user


@pytest.mark.django_db
@pytest.mark.parametrize("query", [
    {"to": "0001-01-01T00:30"}, {"from": "0001-01-01"}, {"to": "9999-12-31T23:59"}, {"from": "2026-02-30"},
    {"from": "2026-01-01T00:00+25:00"}, {"to": "1" * 400}, {"from": "2026-01-01", "to": "2026-03-01"},
])
def test_impossible_or_unusable_time_ranges_are_a_400_naming_the_parameter(api_as, insider, vehicle_device, noise_sensor, query):
    for url in (f"/api/devices/{vehicle_device.pk}/track/", f"/api/devices/{noise_sensor.pk}/noise/"):
        response = api_as(insider).get(url, query)
        assert response.status_code == 400, (url, query, response.content)
        assert set(response.json()["error"]["details"]) <= {"from", "to"}


@pytest.mark.django_db
def test_an_alarm_filter_by_an_impossible_device_id_is_a_400(api_as, insider):
    for device in ("x", "²", "9" * 40):
        response = api_as(insider).get("/api/devices/alarms/", {"device": device})
        assert response.status_code == 400 and "device" in response.json()["error"]["details"]
