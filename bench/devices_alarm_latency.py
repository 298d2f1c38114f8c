"""Benchmark: a noise reading over the limit → the alarm event at a live-map WebSocket client,
through daphne and the Redis channel layer, while background sensors send ~1,000 readings/s.

    DATABASE_URL=postgis://postgres@127.0.0.1:5432/cityenforce_bench REDIS_URL=redis://127.0.0.1:6379/11 \
        .venv/bin/python bench/devices_alarm_latency.py [--episodes 30] [--rate 1000]

Needs a migrated database with the demo city (construction sites). Starts --servers daphne processes
from port 18751 (the load and the triggers spread over them as behind a balancer);
the WebSocket client is a Channels consumer in this process, subscribed through the same Redis layer.
Each episode sends one batch of 15 one-minute readings at 85 dB(A) for a fresh trigger sensor and
times the POST until `alarm.raised` for that sensor arrives. Prints one JSON line.
"""
import argparse
import asyncio
import datetime as dt
import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cityenforce.settings")

import django  # noqa: E402

django.setup()

from asgiref.sync import sync_to_async  # noqa: E402
from channels.testing import WebsocketCommunicator  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

PORT = 18751
TOKEN = "bench-alarm-token-" + "y" * 20


def prepare(n_background, n_trigger):
    from apps.accounts.models import User
    from apps.devices import services
    from apps.devices.models import Device
    from apps.gbcp.models import Place

    admin = User.objects.filter(is_superuser=True).order_by("id").first()
    sites = list(Place.objects.filter(kind=Place.Kind.CONSTRUCTION_SITE).order_by("id")[: n_background + n_trigger])
    if len(sites) < n_background + n_trigger:
        sys.exit("not enough construction sites: seed the demo city first")
    fleet = []
    for site in sites:
        device = Device.objects.filter(kind=Device.Kind.NOISE_SENSOR, place=site, name__startswith="bench ").first()
        if device is None:
            device = services.device_register(user=None, name=f"bench {site.name}", kind=Device.Kind.NOISE_SENSOR, place=site, token=TOKEN).device
        else:
            services.device_token_rotate(user=None, device=device, token=TOKEN)
        fleet.append(device)
    return admin, fleet[:n_background], fleet[n_background:]


def post(conn, code, readings):
    body = json.dumps({"device": code, "readings": readings})
    conn.request("POST", "/api/devices/noise/", body=body, headers={"Content-Type": "application/json", "Authorization": f"Bearer {TOKEN}"})
    response = conn.getresponse()
    response.read()
    return response.status


def background(devices, rate, stop, counters, port=PORT):
    """Quiet readings (50 dB) from many sensors, one-second intervals, 50 per request."""
    per_request = 50
    interval = per_request / rate
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    clock = {d.code: timezone.now() - dt.timedelta(hours=2) for d in devices}
    i = 0
    next_at = time.monotonic()
    while not stop.is_set():
        device = devices[i % len(devices)]
        i += 1
        start = clock[device.code]
        readings = [{"time": (start + dt.timedelta(seconds=k + 1)).isoformat(), "interval_s": 1, "laeq": 50.0, "lmax": 58.0} for k in range(per_request)]
        clock[device.code] = start + dt.timedelta(seconds=per_request)
        try:
            status = post(conn, device.code, readings)
            counters["readings"] += per_request if status == 200 else 0
            counters["errors"] += 0 if status == 200 else 1
        except (OSError, http.client.HTTPException):
            counters["errors"] += 1
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        next_at += interval
        delay = next_at - time.monotonic()
        if delay > 0:
            time.sleep(delay)


async def measure(admin, triggers, rate, background_devices, servers):
    from cityenforce.asgi import application

    communicator = WebsocketCommunicator(application, "/ws/map/", headers=[(b"host", b"127.0.0.1"), (b"origin", b"http://127.0.0.1")])
    communicator.scope["user"] = admin
    connected, _ = await communicator.connect()
    assert connected
    await communicator.receive_json_from(timeout=10)  # snapshot
    stop, counters = threading.Event(), {"readings": 0, "errors": 0}
    # The load is spread over the servers as a balancer would; each loader paces its share.
    loaders = [
        threading.Thread(target=background, args=(background_devices[i::servers], rate / servers, stop, counters, PORT + i), daemon=True)
        for i in range(servers)
    ]
    for loader in loaders:
        loader.start()
    await asyncio.sleep(2)
    started = time.monotonic()
    latencies, missed, posts = [], 0, []
    conns = [http.client.HTTPConnection("127.0.0.1", PORT + i, timeout=30) for i in range(servers)]
    for n, device in enumerate(triggers):
        conn = conns[n % servers]
        now = timezone.now().replace(microsecond=0)
        readings = [{"time": (now - dt.timedelta(minutes=14 - k)).isoformat(), "interval_s": 60, "laeq": 85.0, "lmax": 92.0} for k in range(15)]
        sent = time.perf_counter()
        await sync_to_async(post, thread_sensitive=False)(conn, device.code, readings)
        posts.append(time.perf_counter() - sent)
        got = None
        deadline = sent + 5
        while time.perf_counter() < deadline:
            try:
                message = await communicator.receive_json_from(timeout=max(0.01, deadline - time.perf_counter()))
            except asyncio.TimeoutError:
                break
            payload = message.get("payload") or {}
            if message.get("event") == "alarm.raised" and (payload.get("device") or {}).get("code") == device.code:
                got = time.perf_counter()
                break
        if got is None:
            missed += 1
        else:
            latencies.append(got - sent)
    elapsed = time.monotonic() - started
    stop.set()
    for loader in loaders:
        loader.join(timeout=10)
    await communicator.disconnect()
    return latencies, missed, counters, elapsed, posts


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--episodes", type=int, default=30)
    parser.add_argument("--rate", type=int, default=1000, help="background readings per second")
    parser.add_argument("--background-sensors", type=int, default=20)
    parser.add_argument("--servers", type=int, default=2, help="daphne processes, as behind a load balancer")
    args = parser.parse_args()
    if connection.vendor != "postgresql" or "redis" not in settings.CHANNEL_LAYERS["default"]["BACKEND"]:
        sys.exit("run against PostGIS and Redis (DATABASE_URL, REDIS_URL)")
    admin, background_devices, triggers = prepare(args.background_sensors, args.episodes)
    # Fresh trigger sensors: clear what an earlier run left active.
    from apps.devices.models import Alarm, DeviceStatus, NoiseReading

    Alarm.objects.filter(device__in=triggers).delete()
    NoiseReading.objects.filter(device__in=triggers).delete()
    DeviceStatus.objects.filter(device__in=triggers).update(noise_at=None)
    connection.close()
    servers = [
        subprocess.Popen(
            [str(ROOT / ".venv/bin/daphne"), "-b", "127.0.0.1", "-p", str(PORT + i), "cityenforce.asgi:application"],
            cwd=ROOT, env=os.environ.copy(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        for i in range(args.servers)
    ]
    try:
        for i in range(args.servers):
            for _ in range(100):
                try:
                    http.client.HTTPConnection("127.0.0.1", PORT + i, timeout=1).request("GET", "/api/health/")
                    break
                except OSError:
                    time.sleep(0.2)
        latencies, missed, counters, elapsed, posts = asyncio.run(measure(admin, triggers, args.rate, background_devices, args.servers))
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)
    latencies.sort()
    print(json.dumps({
        "servers": args.servers, "episodes": args.episodes, "alarms_received": len(latencies), "missed": missed,
        "median_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None,
        "p95_ms": round(latencies[max(0, int(len(latencies) * 0.95) - 1)] * 1000, 1) if latencies else None,
        "post_median_ms": round(statistics.median(posts) * 1000, 1) if posts else None,
        "background_readings_per_s": round(counters["readings"] / elapsed, 1), "background_errors": counters["errors"],
    }))


if __name__ == "__main__":
    main()
