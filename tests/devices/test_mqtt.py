"""MQTT ingestion against the real broker (Mosquitto on 127.0.0.1:1883); skipped when no broker answers."""
import json
import socket
import time
import uuid

import pytest
from django.utils import timezone

from apps.devices.models import NoiseReading, Position
from apps.devices.mqtt import handle_message
from tests.devices.conftest import TOKEN

BROKER = ("127.0.0.1", 1883)


def broker_up():
    try:
        socket.create_connection(BROKER, timeout=0.5).close()
        return True
    except OSError:
        return False


def now_s(ago=0):
    return int(timezone.now().timestamp()) - ago


@pytest.mark.django_db
def test_mqtt_messages_go_through_the_same_validation_and_services(vehicle_device, noise_sensor):
    prefix = "cityenforce/devices"
    points = {"token": TOKEN, "points": [{"time": now_s(10), "lat": 39.91, "lon": 116.40}]}
    assert handle_message(f"{prefix}/{vehicle_device.code}/positions", json.dumps(points).encode(), prefix)["stored"] == 1
    assert handle_message(f"{prefix}/{vehicle_device.code}/positions", json.dumps(points).encode(), prefix)["stored"] == 0
    wrong = handle_message(f"{prefix}/{vehicle_device.code}/positions", json.dumps({**points, "token": "x"}).encode(), prefix)
    assert wrong["error"]["code"] == "invalid_device_token"
    bad = {"token": TOKEN, "readings": [{"time": now_s(60), "laeq": 50}, {"time": now_s(), "laeq": 999}]}
    refused = handle_message(f"{prefix}/{noise_sensor.code}/noise", json.dumps(bad).encode(), prefix)
    assert refused["error"]["details"]["index"] == 1
    assert handle_message(f"{prefix}/x", b"{}", prefix)["error"]["code"] == "unknown_topic"
    assert handle_message(f"{prefix}/{noise_sensor.code}/noise", b"not json", prefix)["error"]["code"] == "invalid_payload"
    assert NoiseReading.objects.filter(device=noise_sensor).count() == 0
    assert Position.objects.filter(device=vehicle_device).count() == 1


@pytest.mark.skipif(not broker_up(), reason="no MQTT broker on 127.0.0.1:1883")
@pytest.mark.django_db
def test_positions_and_noise_published_to_the_broker_are_stored_once(vehicle_device, noise_sensor):
    import paho.mqtt.client as mqtt

    from apps.devices.mqtt import Ingestor

    prefix = f"cityenforce-test/{uuid.uuid4().hex[:8]}"  # our own topics, whatever else uses the broker
    ingestor = Ingestor(url="mqtt://127.0.0.1:1883", prefix=prefix, client_id=f"ingest-{uuid.uuid4().hex[:8]}")
    ingestor.connect()
    acks = []
    device_client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"device-{uuid.uuid4().hex[:8]}")
    device_client.on_message = lambda c, u, m: acks.append(json.loads(m.payload))
    device_client.connect(*BROKER)
    device_client.subscribe(f"{prefix}/+/ack", qos=1)

    def pump(until, seconds=5.0):
        deadline = time.monotonic() + seconds
        # The ingestor runs in this thread, so it writes inside the test's transaction.
        while time.monotonic() < deadline and not until():
            ingestor.client.loop(timeout=0.05)
            device_client.loop(timeout=0.05)

    pump(lambda: ingestor.client.is_connected() and device_client.is_connected(), 3)
    pump(lambda: False, 0.3)  # let both subscriptions settle
    points = {"token": TOKEN, "points": [{"time": now_s(30 - i), "lat": 39.91 + i * 1e-4, "lon": 116.40} for i in range(20)]}
    for _ in range(2):  # the same message twice (a QoS 1 redelivery looks just like this)
        device_client.publish(f"{prefix}/{vehicle_device.code}/positions", json.dumps(points), qos=1)
    device_client.publish(f"{prefix}/{noise_sensor.code}/noise", json.dumps({"token": TOKEN, "readings": [{"time": now_s(60), "interval_s": 60, "laeq": 58.0, "lmax": 66.0}]}), qos=1)
    device_client.publish(f"{prefix}/{vehicle_device.code}/positions", json.dumps({**points, "token": "wrong"}), qos=1)
    pump(lambda: len(acks) >= 4, 8)
    ingestor.client.disconnect()
    device_client.disconnect()
    assert Position.objects.filter(device=vehicle_device).count() == 20
    assert NoiseReading.objects.filter(device=noise_sensor).count() == 1
    assert sorted(a.get("stored", -1) for a in acks) == [-1, 0, 1, 20]
