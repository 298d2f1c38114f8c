"""The fast batch loop gives exactly what parse_position gives, item by item, and the same refusals."""
import datetime as dt
import random

import pytest
from django.utils import timezone

from apps.devices import payloads

NOW = timezone.now()


def reference(items, now):
    """parse_position over each item, as the plain loop did: values, or (index, field, reason) of the first refusal."""
    parsed = []
    for index, item in enumerate(items):
        try:
            parsed.append(payloads.parse_position(item, now=now))
        except payloads.PayloadError as exc:
            return ("refused", index, exc.field, str(exc.message))
    return parsed


def fast(items, now):
    try:
        return payloads.parse_batch(items, payloads.parse_position, max_items=len(items), now=now)
    except payloads.PayloadError as exc:
        return ("refused", exc.index, exc.field, str(exc.message))


def odd_values(rng):
    recent = NOW - dt.timedelta(seconds=rng.randint(0, 86400))
    return {
        "time": [
            recent.isoformat(), recent.strftime("%Y-%m-%dT%H:%M:%SZ"), recent.strftime("%Y-%m-%dT%H:%M:%S"),
            recent.astimezone(dt.timezone(dt.timedelta(hours=8))).isoformat(), int(recent.timestamp()), recent.timestamp(),
            int(recent.timestamp() * 1000), str(int(recent.timestamp())), f" {recent.isoformat()} ", "2026-13-40T00:00:00",
            (NOW + dt.timedelta(hours=2)).isoformat(), (NOW - dt.timedelta(days=400)).isoformat(), int((NOW + dt.timedelta(hours=1)).timestamp()),
            -5, float("nan"), True, None, "", "yesterday", "123e-4567890123456789", [1],
        ],
        "lat": [39.9, 40, -90, 90, 90.0001, "39.9", "", None, float("nan"), float("inf"), True, "north", 1e400],
        "lon": [116.4, 116, -180.0, 180.5, "116.4", None],
        "speed": [None, 0, 12.5, 600, 600.5, -1, "12", "", False],
        "bearing": [None, 0, 359.9, 360, 361, "90"],
        "altitude": [None, -500, 10000.0, 10001, "45.5"],
        "accuracy": [None, 0, 5.5, -0.1],
        "battery": [None, 0, 100, 100.5, 55.5, "87", float("nan")],
        "hdop": [None, 0.9, 100.5, "2", -1],
        "charging": [None, True, "false", "1", "maybe", 3],
    }


def test_the_fast_loop_matches_the_reference_on_thousands_of_odd_points():
    rng = random.Random(6)
    for _round in range(300):
        values = odd_values(rng)
        items = []
        for _ in range(rng.randint(1, 12)):
            item = {}
            for field, choices in values.items():
                if rng.random() < 0.9:
                    item[field] = rng.choice(choices) if rng.random() < 0.3 else choices[0]
            if rng.random() < 0.1:
                item["timestamp"] = item.pop("time", None) or values["time"][0]
            items.append(item if rng.random() > 0.01 else "not an object")
        assert fast(items, NOW) == reference(items, NOW), items


def test_common_points_take_the_fast_loop_and_keep_their_values():
    t = NOW - dt.timedelta(minutes=5)
    items = [{"time": t.isoformat(), "lat": 39.9, "lon": 116, "speed": 31.5, "bearing": 80.0, "battery": 80}]
    (parsed,) = fast(items, NOW)
    assert parsed == (t, 39.9, 116.0, 31.5, 80.0, None, None, 80.0, None, None)
    assert all(type(v) is float for v in parsed[1:5]) and parsed[0].tzinfo == dt.timezone.utc


@pytest.mark.parametrize("bad, field", [({"lat": 91.0}, "lat"), ({"time": "yesterday"}, "time"), ({"battery": 140}, "battery"), ({"speed": True}, "speed")])
def test_a_refusal_in_the_fast_loop_names_the_index_and_field_of_the_reference(bad, field):
    t = NOW - dt.timedelta(minutes=5)
    items = [{"time": (t + dt.timedelta(seconds=i)).isoformat(), "lat": 39.9, "lon": 116.4} for i in range(6)]
    items[4].update(bad)
    refused = fast(items, NOW)
    assert refused[:3] == ("refused", 4, field)


@pytest.mark.parametrize("bad, field", [
    ({"time": 10**400}, "time"), ({"time": "1" * 400}, "time"), ({"time": [1]}, "time"), ({"time": True}, "time"),
    ({"lat": 10**400}, "lat"), ({"speed": "abc"}, "speed"), ({"battery": 10**30}, "battery"),
])
def test_numbers_and_times_beyond_any_range_are_refused_not_crashed_on(bad, field):
    t = NOW - dt.timedelta(minutes=5)
    item = {"time": t.isoformat(), "lat": 39.9, "lon": 116.4, **bad}
    with pytest.raises(payloads.PayloadError) as refused:
        payloads.parse_batch([item], payloads.parse_position, now=NOW)
    assert refused.value.field == field and refused.value.index == 0


@pytest.mark.django_db
@pytest.mark.parametrize("location, field", [
    ({"coords": [1]}, "coords"), ({"battery": 5}, "battery"), ({"coords": {"latitude": 39.9, "longitude": 116.4, "speed": "abc"}}, "speed"),
    ({"coords": {"latitude": 39.9, "longitude": 116.4, "heading": {}}}, "bearing"), ({"timestamp": 10**400}, "time"),
])
def test_the_osmand_json_form_refuses_odd_shapes_with_the_field(location, field):
    body = {"location": {"timestamp": (NOW - dt.timedelta(seconds=5)).isoformat(), "coords": {"latitude": 39.9, "longitude": 116.4}, **location}}
    with pytest.raises(payloads.PayloadError) as refused:
        payloads.parse_osmand({}, body)
    assert refused.value.field == field
