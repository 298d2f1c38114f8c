"""In-process cost of the device ingestion paths: CPU time and SQL statements per request, no server, no network.

On a shared or noisy machine this is the figure to compare changes by (a server benchmark measures
the machine as much as the code). Run against a migrated database (PostgreSQL for the fast paths):
  DATABASE_URL=postgis://postgres@127.0.0.1:5432/cityenforce_bench REDIS_URL=redis://127.0.0.1:6379/11 \
    .venv/bin/python bench/devices_profile.py [--requests 2000] [--batch 5000]
Prints one JSON line.
"""
import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cityenforce.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

TOKEN = "bench-profile-token-" + "z" * 20


def device(name):
    from apps.devices import services
    from apps.devices.models import Device
    from apps.gbcp.models import Region

    found = Device.objects.filter(name=name).first()
    if found is None:
        region = Region.objects.filter(level=Region.Level.DISTRICT).order_by("code").first()
        found = services.device_register(user=None, name=name, kind=Device.Kind.VEHICLE_GPS, region=region, token=TOKEN).device
    services.device_token_rotate(user=None, device=found, token=TOKEN)
    return found


def per_request(fn, n):
    samples = []
    cpu_started = time.process_time()
    for i in range(n):
        started = time.perf_counter()
        fn(i)
        samples.append(time.perf_counter() - started)
    cpu = time.process_time() - cpu_started
    return {"median_ms": round(statistics.median(samples) * 1000, 3), "cpu_ms_per_request": round(cpu / n * 1000, 3)}


def statements(fn):
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=5000)
    parser.add_argument("--batches", type=int, default=10)
    args = parser.parse_args()
    from apps.devices.models import Position

    unit = device("bench-profile-vehicle")
    Position.objects.filter(device=unit).delete()
    client = Client()
    base = int(time.time()) - 3 * 86400

    def osmand(i):
        response = client.get(f"/api/devices/osmand/?id={unit.code}&token={TOKEN}&lat=39.91{i % 1000:03d}&lon=116.40&timestamp={base + i}&speed=12&bearing=80&batt=77")
        assert response.status_code == 200, response.content

    osmand(0)
    result = {"database": connection.vendor, "osmand": per_request(osmand, args.requests)}
    result["osmand"]["statements"] = statements(lambda: osmand(args.requests + 1))

    start = timezone.now() - dt.timedelta(days=2)
    bodies = []
    for b in range(args.batches):
        points = [{"time": (start + dt.timedelta(seconds=b * args.batch + i)).isoformat(), "lat": 39.9 + (i % 1000) * 1e-4, "lon": 116.4, "speed": 31.5, "bearing": 80.0, "battery": 80}
                  for i in range(args.batch)]
        bodies.append(json.dumps({"device": unit.code, "points": points}))

    def batch(i):
        response = client.post("/api/devices/positions/", bodies[i % len(bodies)], content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
        assert response.status_code == 200, response.content

    new = per_request(batch, args.batches)
    repeat = per_request(batch, args.batches)
    result["batch"] = {
        "points": args.batch,
        "new_points_per_cpu_s": round(args.batch / (new["cpu_ms_per_request"] / 1000)),
        "new_ms": new["median_ms"], "new_cpu_ms": new["cpu_ms_per_request"],
        "repeat_ms": repeat["median_ms"], "repeat_cpu_ms": repeat["cpu_ms_per_request"],
        "statements": statements(lambda: batch(0)),
    }
    Position.objects.filter(device=unit).delete()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
