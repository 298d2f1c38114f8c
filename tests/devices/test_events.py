"""Live-map sends from one loop per process: positions coalesced per group, alarms with publish's exact message."""
import asyncio
import threading
import time

import pytest

from apps.devices import events


class RecordingLayer:
    """A channel layer that only remembers what was sent (from any thread or loop)."""

    def __init__(self):
        self.sent, self.lock = [], threading.Lock()

    async def group_send(self, group, message):
        with self.lock:
            self.sent.append((group, message))

    def wait_for(self, count, timeout=5.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.sent) >= count:
                    return list(self.sent)
            time.sleep(0.01)
        raise AssertionError(f"only {len(self.sent)} of {count} messages sent")


def unit(pk, lat):
    return {"id": pk, "code": f"C{pk}", "name": f"unit {pk}", "kind": "vehicle_gps", "plate": "", "lat": lat, "lon": 116.4,
            "at": None, "speed_kmh": None, "bearing": None, "battery": None}


def test_positions_are_coalesced_into_one_message_per_group_with_the_latest_of_each_unit(settings):
    settings.DEVICE_MAP_COALESCE_S = 0.05
    layer = RecordingLayer()
    sender = events._LoopSender(layer)
    dongcheng, haidian = events.map_groups_for_code("110101001001"), events.map_groups_for_code("110108001001")
    sender.add_unit(dongcheng, unit(1, 39.90))
    sender.add_unit(haidian, unit(2, 39.95))
    sender.add_unit(dongcheng, unit(1, 39.91))  # the same unit again before the flush: only the latest goes
    groups = set(dongcheng) | set(haidian)
    sent = dict(layer.wait_for(len(groups)))
    time.sleep(0.1)
    assert len(layer.sent) == len(groups)  # one message per group, not one per position
    assert all(message["type"] == "map.units" for message in sent.values())
    assert sent[events.MAP_EVERYTHING_GROUP]["units"] == [unit(1, 39.91), unit(2, 39.95)]
    assert sent["map.region.110101"]["units"] == [unit(1, 39.91)]
    assert sent["map.region.110108"]["units"] == [unit(2, 39.95)]
    # Later positions make a new flush.
    sender.add_unit(haidian, unit(2, 39.96))
    assert layer.wait_for(len(groups) + len(haidian))[-1][1]["units"] == [unit(2, 39.96)]


@pytest.mark.django_db
def test_an_alarm_event_through_the_loop_is_the_message_realtime_publish_sends(monkeypatch, vehicle_device, django_capture_on_commit_callbacks):
    import datetime as dt

    from django.utils import timezone

    from apps.devices import services
    from apps.devices.models import Alarm
    from apps.realtime import events as realtime_events

    services.positions_ingest(device=vehicle_device, points=[(timezone.now() - dt.timedelta(seconds=5), 39.9, 116.4, 0.0, 0.0, None, None, 5.0)])
    alarm = Alarm.objects.select_related("device", "region").get(device=vehicle_device, kind=Alarm.Kind.LOW_BATTERY)
    ours, theirs = RecordingLayer(), RecordingLayer()
    monkeypatch.setattr(events, "get_channel_layer", lambda: ours)
    monkeypatch.setattr(events, "_sender", None)
    with django_capture_on_commit_callbacks(execute=True):
        events.alarm_changed(alarm=alarm, event="alarm.raised")
    expected_groups = len(events.groups.region_groups_for_code(alarm.region.code)) + 1
    sent = ours.wait_for(expected_groups)
    monkeypatch.setattr(realtime_events, "get_channel_layer", lambda: theirs)
    with django_capture_on_commit_callbacks(execute=True):
        realtime_events.publish(
            event="alarm.raised", payload=events.alarm_payload(alarm), region_code=alarm.region.code, persist=False,
            title=sent[0][1]["title"], body=alarm.device.name, level=sent[0][1]["level"], link="/devices/map/",
        )
    assert sorted(sent, key=lambda s: s[0]) == sorted(theirs.sent, key=lambda s: s[0])
    assert sent[0][1]["event"] == "alarm.raised" and sent[0][1]["payload"]["id"] == alarm.pk


def test_the_map_consumer_takes_coalesced_positions_like_single_ones(settings):
    from apps.devices.consumers import LiveMapConsumer

    settings.DEVICE_MAP_THROTTLE_S = 0.01
    consumer = LiveMapConsumer()
    consumer.throttle, consumer.pending_units, consumer.pending_alarms, consumer.flush_task, consumer.last_flush = 0.01, {}, {}, None, 0.0
    sent = []

    async def send_json(content, close=False):
        sent.append(content)

    consumer.send_json = send_json

    async def scenario():
        await consumer.map_units({"type": "map.units", "units": [unit(1, 39.90), unit(2, 39.95)]})
        await consumer.map_unit({"type": "map.unit", "unit": unit(1, 39.92)})
        await asyncio.sleep(0.1)

    asyncio.run(scenario())
    assert sent == [{"type": "update", "units": [unit(1, 39.92), unit(2, 39.95)], "alarms": []}]
