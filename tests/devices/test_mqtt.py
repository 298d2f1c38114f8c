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


needs_broker = pytest.mark.skipif(not broker_up(), reason="no MQTT broker (Mosquitto) listening on 127.0.0.1:1883")


@needs_broker
@pytest.mark.django_db
def test_positions_and_noise_published_to_the_broker_are_stored_once(vehicle_device, noise_sensor):
    import paho.mqtt.client as mqtt

    from apps.devices.mqtt import Ingestor

    prefix = f"cityenforce-test/{uuid.uuid4().hex[:8]}"  # our own topics, whatever else uses the broker
    ingestor = Ingestor(url="mqtt://127.0.0.1:1883", prefix=prefix, client_id=f"ingest-{uuid.uuid4().hex[:8]}", session_expiry_s=60)
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
    ingestor.disconnect()
    device_client.disconnect()
    assert Position.objects.filter(device=vehicle_device).count() == 20
    assert NoiseReading.objects.filter(device=noise_sensor).count() == 1
    assert sorted(a.get("stored", -1) for a in acks) == [-1, 0, 1, 20]


# --- persistent session (issue 10, finding 5) -------------------------------------------------

def run(ingestor, until, seconds):
    """Drive the ingester in this thread (it writes inside the test's transaction) until ``until()`` or the time is up."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not until():
        ingestor.client.loop(timeout=0.05)
        if ingestor.dropped:
            ingestor.reconnect()


def stop(ingestor):
    ingestor.disconnect()
    run(ingestor, lambda: ingestor.dropped, 2)


def publish_readings(prefix, device, count):
    """A device publishing QoS 1 readings, one per message, each confirmed by the broker (PUBACK)."""
    import paho.mqtt.client as mqtt

    publisher = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"device-{uuid.uuid4().hex[:8]}")
    publisher.connect(*BROKER)
    publisher.loop_start()
    try:
        infos = [
            publisher.publish(f"{prefix}/{device.code}/noise", json.dumps(
                {"token": TOKEN, "readings": [{"time": now_s(3600 - 10 * i), "interval_s": 10, "laeq": 50.0}]}), qos=1)
            for i in range(count)
        ]
        for info in infos:
            info.wait_for_publish(timeout=10)
        assert all(info.is_published() for info in infos)
    finally:
        publisher.disconnect()
        publisher.loop_stop()


@pytest.fixture
def session():
    """A topic prefix and a client id of this test's own, and the broker's session removed afterwards."""
    from apps.devices.mqtt import Ingestor

    name = uuid.uuid4().hex[:8]
    prefix, client_id = f"cityenforce-test/{name}", f"ingest-test-{name}"
    yield prefix, client_id
    cleaner = Ingestor(url="mqtt://127.0.0.1:1883", prefix=prefix, client_id=client_id, session_expiry_s=0)
    cleaner.connect()
    run(cleaner, lambda: cleaner.client.is_connected(), 3)
    stop(cleaner)


@needs_broker
@pytest.mark.django_db
def test_readings_published_while_the_ingester_is_down_are_all_stored_when_it_starts_again(noise_sensor, session):
    """Before: a clean session with a new client id on every start, so 0 of 5 such readings arrived."""
    from apps.devices.mqtt import Ingestor

    prefix, client_id = session
    first = Ingestor(url="mqtt://127.0.0.1:1883", prefix=prefix, client_id=client_id, session_expiry_s=120)
    first.connect()
    run(first, lambda: first.subscribed, 5)
    assert first.subscribed
    stop(first)

    publish_readings(prefix, noise_sensor, 100)

    second = Ingestor(url="mqtt://127.0.0.1:1883", prefix=prefix, client_id=client_id, session_expiry_s=120)
    second.connect()
    run(second, lambda: second.handled >= 100, 30)
    stop(second)
    assert second.handled == 100
    assert NoiseReading.objects.filter(device=noise_sensor).count() == 100


@needs_broker
@pytest.mark.django_db
def test_the_default_client_id_is_stable_and_the_session_persistent(settings):
    from apps.devices.mqtt import Ingestor

    settings.MQTT_CLIENT_ID = "cityenforce-ingest-stable"
    one, two = Ingestor(url="mqtt://127.0.0.1:1883"), Ingestor(url="mqtt://127.0.0.1:1883")
    assert one.client_id == two.client_id == "cityenforce-ingest-stable"
    assert one.session_expiry_s == settings.MQTT_SESSION_EXPIRY_S > 0


@needs_broker
@pytest.mark.django_db
def test_a_reading_that_could_not_be_stored_is_not_acknowledged_and_comes_again(noise_sensor, session, monkeypatch):
    """Manual acknowledgement after commit: a failure while storing leaves the message with the broker."""
    from django.db import OperationalError

    from apps.devices import mqtt as mqtt_module
    from apps.devices.mqtt import Ingestor

    prefix, client_id = session
    ingestor = Ingestor(url="mqtt://127.0.0.1:1883", prefix=prefix, client_id=client_id, session_expiry_s=120)
    ingestor.connect()
    run(ingestor, lambda: ingestor.subscribed, 5)
    real = mqtt_module.handle_message
    calls = []

    def database_away_once(topic, raw, prefix=None):
        calls.append(topic)
        if len(calls) == 1:
            raise OperationalError("database away")
        return real(topic, raw, prefix)

    monkeypatch.setattr(mqtt_module, "handle_message", database_away_once)
    publish_readings(prefix, noise_sensor, 3)
    run(ingestor, lambda: NoiseReading.objects.filter(device=noise_sensor).count() >= 3, 20)
    stop(ingestor)
    assert ingestor.failed == 1 and len(calls) >= 4  # the failed one came again
    assert NoiseReading.objects.filter(device=noise_sensor).count() == 3
