"""Benchmark of GPS ingestion on PostgreSQL: batched API vs raw COPY into the same table, and OsmAnd requests per second.

Run against a migrated PostGIS database (its own, never CI's):
  DATABASE_URL=postgis://postgres@127.0.0.1:5432/cityenforce_bench REDIS_URL=redis://127.0.0.1:6379/14 \
    .venv/bin/python bench/devices_ingest.py [--points 200000] [--batch 5000] [--servers 2] [--clients 4] [--osmand-seconds 10]
Starts its own daphne processes on ports 18741.., prints one JSON line.
"""
import argparse
import datetime as dt
import http.client
import json
import os
import random
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

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

TOKEN = "bench-device-token-" + "x" * 20


def devices(n):
    from apps.devices import services
    from apps.devices.models import Device
    from apps.gbcp import services as gbcp_services
    from apps.gbcp.models import Region

    region = Region.objects.filter(level=Region.Level.DISTRICT).order_by("code").first()
    if region is None:
        city = gbcp_services.region_upsert(user=None, code="110100", name="北京市", level=Region.Level.CITY)
        region = gbcp_services.region_upsert(user=None, code="110101", name="东城区", level=Region.Level.DISTRICT, parent=city)
    found = list(Device.objects.filter(name__startswith="bench-vehicle-").order_by("name")[:n])
    while len(found) < n:
        found.append(services.device_register(user=None, name=f"bench-vehicle-{len(found):03d}", kind=Device.Kind.VEHICLE_GPS, region=region, token=TOKEN).device)
    for device in found:
        services.device_token_rotate(user=None, device=device, token=TOKEN)
    return found


def clear(device_ids):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM devices_position WHERE device_id = ANY(%s)", [device_ids])
        cursor.execute("VACUUM ANALYZE devices_position") if not connection.in_atomic_block else None


def make_points(n, start):
    rng = random.Random(1)
    return [
        {"time": (start + dt.timedelta(seconds=i)).isoformat(), "lat": round(39.9 + rng.random() * 0.1, 6), "lon": round(116.3 + rng.random() * 0.1, 6),
         "speed": round(rng.random() * 60, 1), "bearing": round(rng.random() * 359, 1), "battery": 80}
        for i in range(n)
    ]


def start_servers(count, base_port):
    procs = []
    for i in range(count):
        procs.append(subprocess.Popen(
            [str(ROOT / ".venv/bin/daphne"), "-b", "127.0.0.1", "-p", str(base_port + i), "cityenforce.asgi:application"],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "LOG_LEVEL": "ERROR"},
        ))
    for i in range(count):
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", base_port + i, timeout=1).request("GET", "/api/health/")
                break
            except OSError:
                time.sleep(0.2)
    time.sleep(1)
    return procs


def post_batches(jobs, ports, clients):
    """jobs: list of (device code, body bytes); clients threads share them round-robin over the servers."""
    lock = threading.Lock()
    queue = list(jobs)
    errors = []

    def worker(k):
        conn = http.client.HTTPConnection("127.0.0.1", ports[k % len(ports)], timeout=120)
        while True:
            with lock:
                if not queue:
                    return
                code, body = queue.pop()
            conn.request("POST", "/api/devices/positions/", body=body, headers={"Content-Type": "application/json", "Authorization": f"Bearer {TOKEN}"})
            response = conn.getresponse()
            data = response.read()
            if response.status != 200:
                errors.append(data[:200])

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - started, errors


def copy_rows(device_ids, points_per_device, start):
    """The physical limit: COPY of the same rows into the same table (same indexes), through psycopg."""
    received = timezone.now()
    rng = random.Random(1)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        raw = cursor.cursor if hasattr(cursor, "cursor") else cursor
        with raw.copy("COPY devices_position (device_id, recorded_at, lat, lon, speed_kmh, bearing, altitude, accuracy, battery, received_at) FROM STDIN") as copy:
            for device_id in device_ids:
                for i in range(points_per_device):
                    copy.write_row((device_id, start + dt.timedelta(seconds=i), 39.9 + rng.random() * 0.1, 116.3 + rng.random() * 0.1, rng.random() * 60, rng.random() * 359, None, None, 80.0, received))
    return time.perf_counter() - started


def osmand(ports, clients, seconds, codes):
    counts = [0] * clients
    errors = []
    stop = time.perf_counter() + seconds
    base = int(time.time()) - 5 * 86400  # each client its own stretch of past seconds

    def worker(k):
        conn = http.client.HTTPConnection("127.0.0.1", ports[k % len(ports)], timeout=30)
        code = codes[k % len(codes)]
        i = 0
        while time.perf_counter() < stop:
            url = f"/api/devices/osmand/?id={code}&token={TOKEN}&lat=39.91{i % 1000:03d}&lon=116.40&timestamp={base + k * 20000 + i}&speed=12&bearing=80&batt=77"
            conn.request("GET", url)
            response = conn.getresponse()
            body = response.read()
            if response.status != 200:
                errors.append(body[:200])
            i += 1
        counts[k] = i

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(counts) / (time.perf_counter() - started), len(errors)



def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--points", type=int, default=200_000)
    parser.add_argument("--batch", type=int, default=5000)
    parser.add_argument("--devices", type=int, default=20)
    parser.add_argument("--servers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--osmand-clients", type=int, default=16)
    parser.add_argument("--osmand-seconds", type=float, default=10)
    parser.add_argument("--port", type=int, default=18741)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("This benchmark compares with COPY and needs PostgreSQL (DATABASE_URL=postgis://...).")
    call_command("migrate", verbosity=0)
    fleet = devices(args.devices)
    ids = [d.pk for d in fleet]
    per_device = args.points // len(fleet)
    clear(ids)
    start = timezone.now().replace(microsecond=0) - dt.timedelta(days=2)
    points = make_points(per_device, start)
    jobs = []
    for device in fleet:
        for i in range(0, per_device, args.batch):
            jobs.append((device.code, json.dumps({"device": device.code, "points": points[i:i + args.batch]}).encode()))
    procs = start_servers(args.servers, args.port)
    ports = [args.port + i for i in range(args.servers)]
    try:
        api_seconds, errors = post_batches(jobs, ports, args.clients)
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM devices_position WHERE device_id = ANY(%s)", [ids])
            stored = cursor.fetchone()[0]
        again_seconds, _errors = post_batches(jobs[: max(1, len(jobs) // 10)], ports, args.clients)  # a repeat: all duplicates
        clear(ids)
        copy_seconds = copy_rows(ids, per_device, start)
        clear(ids)
        osmand_rate, osmand_errors = osmand(ports, args.osmand_clients, args.osmand_seconds, [d.code for d in fleet])
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait()
        clear(ids)
    total = per_device * len(fleet)
    api_rate, copy_rate = total / api_seconds, total / copy_seconds
    print(json.dumps({
        "database": connection.vendor, "servers": args.servers, "clients": args.clients, "batch": args.batch,
        "points": total, "stored": stored, "api_errors": len(errors),
        "api_points_per_s": round(api_rate), "copy_points_per_s": round(copy_rate), "api_to_copy_ratio": round(api_rate / copy_rate, 3),
        "repeat_batches_points_per_s": round(len(jobs[: max(1, len(jobs) // 10)]) * args.batch / again_seconds),
        "osmand_requests_per_s": round(osmand_rate, 1), "osmand_clients": args.osmand_clients, "osmand_errors": osmand_errors, "api_sample_error": (errors[:1] or [b""])[0].decode(errors="replace"),
    }))


if __name__ == "__main__":
    main()
