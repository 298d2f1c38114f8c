"""Live-map sends through the process's one sender: positions coalesced per group, alarms exactly as publish sends them."""
import asyncio
import threading
import time
from types import SimpleNamespace

import pytest

from apps.devices import events
from apps.realtime import sender


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


def move(pk, lat, region_code):
    """``events.unit_moved`` for a unit that is only what its payload reads."""
    device = SimpleNamespace(pk=pk, code=f"C{pk}", name=f"unit {pk}", kind="vehicle_gps", vehicle_plate="")
    status = SimpleNamespace(point=SimpleNamespace(x=116.4, y=lat), position_at=None, speed_kmh=None, bearing=None, battery=None)
    events.unit_moved(device=device, status=status, region_code=region_code)


@pytest.fixture
def layer(monkeypatch):
    sender.drain()  # nothing of an earlier test still coalescing
    recording = RecordingLayer()
    monkeypatch.setattr(sender, "get_channel_layer", lambda: recording)
    yield recording
    sender.drain()


@pytest.mark.django_db
def test_positions_are_coalesced_into_one_message_per_group_with_the_latest_of_each_unit(settings, layer, django_capture_on_commit_callbacks):
    settings.DEVICE_MAP_COALESCE_S = 0.05
    with django_capture_on_commit_callbacks(execute=True):
        move(1, 39.90, "110101001001")
        move(2, 39.95, "110108001001")
        move(1, 39.91, "110101001001")  # the same unit again before the flush: only the latest goes
    groups = set(events.map_groups_for_code("110101001001")) | set(events.map_groups_for_code("110108001001"))
    sent = dict(layer.wait_for(len(groups)))
    time.sleep(0.1)
    assert len(layer.sent) == len(groups)  # one message per group, not one per position
    assert all(message["type"] == "map.units" for message in sent.values())
    assert sent[events.MAP_EVERYTHING_GROUP]["units"] == [unit(1, 39.91), unit(2, 39.95)]
    assert sent["map.region.110101"]["units"] == [unit(1, 39.91)]
    assert sent["map.region.110108"]["units"] == [unit(2, 39.95)]
    # Later positions make a new flush.
    with django_capture_on_commit_callbacks(execute=True):
        move(2, 39.96, "110108001001")
    assert layer.wait_for(len(groups) + len(events.map_groups_for_code("110108001001")))[-1][1]["units"] == [unit(2, 39.96)]


@pytest.mark.django_db
def test_a_position_in_a_rolled_back_transaction_is_never_sent(settings, layer, django_capture_on_commit_callbacks):
    from django.db import transaction

    settings.DEVICE_MAP_COALESCE_S = 0.01
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            move(3, 39.92, "110101001001")
            raise RuntimeError("the ingestion failed")
    sender.drain()
    assert callbacks == []
    assert layer.sent == []


@pytest.mark.django_db
def test_an_alarm_event_is_the_message_realtime_publish_sends(layer, vehicle_device, django_capture_on_commit_callbacks):
    import datetime as dt

    from django.utils import timezone

    from apps.devices import services
    from apps.devices.models import Alarm
    from apps.realtime.events import publish

    services.positions_ingest(device=vehicle_device, points=[(timezone.now() - dt.timedelta(seconds=5), 39.9, 116.4, 0.0, 0.0, None, None, 5.0)])
    alarm = Alarm.objects.select_related("device", "region").get(device=vehicle_device, kind=Alarm.Kind.LOW_BATTERY)
    sender.drain()
    layer.sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        events.alarm_changed(alarm=alarm, event="alarm.raised")
    expected_groups = len(events.groups.region_groups_for_code(alarm.region.code)) + 1
    ours = layer.wait_for(expected_groups)
    layer.sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        publish(
            event="alarm.raised", payload=events.alarm_payload(alarm), region_code=alarm.region.code, persist=False,
            title=ours[0][1]["title"], body=alarm.device.name, level=ours[0][1]["level"], link="/devices/map/",
        )
    assert sorted(ours, key=lambda s: s[0]) == sorted(layer.sent, key=lambda s: s[0])
    assert ours[0][1]["event"] == "alarm.raised" and ours[0][1]["payload"]["id"] == alarm.pk


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
