import asyncio
import os
import socket
import threading
import time

import pytest
from django.db import connection


@pytest.fixture(autouse=True)
def fresh_health_result():
    """Each test sees its own backends, not the answer kept from the test before."""
    from cityenforce import health

    health._forget_cached()
    yield
    health._forget_cached()


def closed_port() -> int:
    """A local port nobody listens on: connecting to it is refused at once, like a stopped Redis."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.django_db
def test_health_names_the_backends_in_use(api):
    body = api.get("/api/health/").json()
    assert body["status"] == "ok"
    if os.environ.get("DATABASE_URL", "").startswith(("postgis", "postgres")):
        assert body["database"] == "postgis" and connection.vendor == "postgresql"
    else:
        assert body["database"] == "spatialite" and connection.vendor == "sqlite"
        assert connection.ops.spatialite  # the extension really is loaded
    if os.environ.get("REDIS_URL"):
        assert body["channel_layer"] == "redis" and body["celery"] == "redis"
    else:
        assert body["channel_layer"] == "in-memory" and body["celery"] == "eager"


@pytest.mark.django_db
def test_health_checks_each_backend_and_reports_its_state(api):
    response = api.get("/api/health/")
    assert response.status_code == 200
    checks = response.json()["checks"]
    assert set(checks) == {"database", "cache", "channel_layer", "broker"}
    assert all(check["state"] == "up" for check in checks.values()), checks
    assert checks["cache"]["backend"] == ("redis" if os.environ.get("REDIS_URL") else "in-memory")


@pytest.mark.django_db
def test_health_answers_503_quickly_when_redis_is_down(api, settings):
    """Cache and channel layer pointed at a closed port: a real outage, reported per backend, no address leaked."""
    from channels.layers import channel_layers
    from django.core.cache import caches

    dead = f"redis://127.0.0.1:{closed_port()}/0"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": dead,
                                   "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}}
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels_redis.core.RedisChannelLayer",
                                           "CONFIG": {"hosts": [{"address": dead, "socket_connect_timeout": 1}]}}}
    try:
        started = time.monotonic()
        response = api.get("/api/health/")
        elapsed = time.monotonic() - started
    finally:
        caches["default"].close()
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["cache"] == {**body["checks"]["cache"], "state": "down", "backend": "redis"}
    assert body["checks"]["channel_layer"]["state"] == "down"
    assert body["checks"]["database"]["state"] == "up"
    assert elapsed < 4
    assert "127.0.0.1" not in response.content.decode()
    channel_layers.backends.clear()


@pytest.mark.django_db
def test_health_answers_503_when_the_celery_broker_is_down(api, settings, monkeypatch):
    from cityenforce.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setattr(app.conf, "broker_url", f"redis://127.0.0.1:{closed_port()}/0")
    started = time.monotonic()
    response = api.get("/api/health/")
    assert time.monotonic() - started < 4
    assert response.status_code == 503
    assert response.json()["checks"]["broker"]["state"] == "down"
    assert response.json()["checks"]["database"]["state"] == "up"


@pytest.mark.django_db
def test_health_answers_503_when_the_database_is_down(api, monkeypatch):
    from cityenforce import health

    def refuse():
        raise OSError("database away")

    monkeypatch.setattr(health, "check_database", refuse)
    response = api.get("/api/health/")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == {**response.json()["checks"]["database"], "state": "down", "error": "OSError"}


@pytest.mark.django_db
def test_the_database_really_is_spatial():
    from django.contrib.gis.geos import Point

    from apps.gbcp.models import Region

    assert Region.objects.filter(level=2, boundary__contains=Point(116.3976, 39.9042, srid=4326)).get().code == "110101"


@pytest.mark.django_db
def test_the_health_answer_is_kept_for_a_few_seconds_in_process(api, monkeypatch):
    from cityenforce import health

    runs = []
    real = health.run_checks
    monkeypatch.setattr(health, "run_checks", lambda: runs.append(1) or real())
    now = [1000.0]
    monkeypatch.setattr(health.time, "monotonic", lambda: now[0])
    assert api.get("/api/health/").status_code == 200
    now[0] += health.RESULT_TTL_S - 0.5
    assert api.get("/api/health/").status_code == 200
    assert len(runs) == 1  # the second call was answered from memory
    now[0] += 1
    assert api.get("/api/health/").status_code == 200
    assert len(runs) == 2


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (channels_redis)")
@pytest.mark.django_db
def test_health_stays_ok_while_the_default_layer_receives_in_another_event_loop(api):
    """As in daphne with live WebSockets: a consumer's loop waits on a process-local channel of the default layer."""
    from channels.layers import get_channel_layer

    layer = get_channel_layer()
    started, stop = threading.Event(), threading.Event()
    outcome = {}
    loop = asyncio.new_event_loop()

    async def websocket_consumer():
        channel = await layer.new_channel()
        receiving = asyncio.ensure_future(layer.receive(channel))
        await asyncio.sleep(0.2)  # inside receive() now, holding the layer's receive loop
        started.set()
        while not stop.is_set() and not receiving.done():
            await asyncio.sleep(0.05)
        outcome["crashed"] = receiving.exception() if receiving.done() else None
        receiving.cancel()
        await layer.send(channel, {"type": "bye"})  # let the cancelled receive clean up
        await asyncio.sleep(0.1)

    thread = threading.Thread(target=loop.run_until_complete, args=(websocket_consumer(),))
    thread.start()
    try:
        assert started.wait(5)
        response = api.get("/api/health/")
    finally:
        stop.set()
        thread.join(10)
    assert response.status_code == 200, response.json()
    assert response.json()["checks"]["channel_layer"]["state"] == "up"
    assert outcome.get("crashed") is None
    loop.run_until_complete(layer.close_pools())
    loop.close()
