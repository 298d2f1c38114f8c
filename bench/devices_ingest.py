"""Benchmark of GPS ingestion on PostgreSQL, served as in production (gunicorn WSGI workers), with the goals of issue 6:

1. batched GPS through the HTTP API (POST /api/devices/positions/): >= 50,000 points/s
   and >= 1/4 of the rate of a binary COPY of the same points into the same table (psycopg);
2. OsmAnd, one point per request from many phones (wrk with distinct devices and times): >= 500 requests/s.

One command (its own database, migrated on the way; no demo city needed):
  DATABASE_URL=postgis://postgres@127.0.0.1:5432/cityenforce_bench REDIS_URL=redis://127.0.0.1:6379/11 \
    .venv/bin/python bench/devices_ingest.py
Options: --points 200000 --batch 5000 --workers 3 --worker-class gthread --threads 4 --clients 4 --phones 1000
--osmand-seconds 10 --osmand-connections 32. Prints the goals with PASS/FAIL, then one JSON line.
"""
import argparse
import datetime as dt
import http.client
import json
import os
import random
import re
import subprocess
import sys
import tempfile
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

from bench import needs  # noqa: E402

TOKEN = "bench-device-token-" + "x" * 20
GOAL_POINTS_PER_S = 50_000
GOAL_RATIO = 0.25
GOAL_OSMAND_PER_S = 500


def fleet(prefix, n, kind):
    """n registered devices named prefix-NNNNN with the bench token (registered once, reused by later runs)."""
    from apps.devices import services
    from apps.devices.models import Device
    from apps.gbcp import services as gbcp_services
    from apps.gbcp.models import Region

    region = Region.objects.filter(level=Region.Level.DISTRICT).order_by("code").first()
    if region is None:
        city = gbcp_services.region_upsert(user=None, code="110100", name="北京市", level=Region.Level.CITY)
        region = gbcp_services.region_upsert(user=None, code="110101", name="东城区", level=Region.Level.DISTRICT, parent=city)
    found = list(Device.objects.filter(name__startswith=f"{prefix}-").order_by("name")[:n])
    while len(found) < n:
        found.append(services.device_register(user=None, name=f"{prefix}-{len(found):05d}", kind=kind, region=region, token=TOKEN).device)
        if len(found) % 200 == 0:
            print(f"  registered {len(found)}/{n} {prefix} devices", file=sys.stderr)
    for device in found:
        if device.revoked_at is not None or device.token_hash != services.token_hash(TOKEN):
            services.device_token_rotate(user=None, device=device, token=TOKEN)
    return found


def clear(device_ids):
    from apps.devices.models import Alarm, DeviceStatus

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM devices_position WHERE device_id = ANY(%s)", [device_ids])
    Alarm.objects.filter(device_id__in=device_ids).delete()
    DeviceStatus.objects.filter(device_id__in=device_ids).update(position_at=None, point=None, battery=None, last_seen_at=None)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE devices_position")


def make_points(n, start):
    rng = random.Random(1)
    return [
        {"time": (start + dt.timedelta(seconds=i)).isoformat(), "lat": round(39.9 + rng.random() * 0.1, 6), "lon": round(116.3 + rng.random() * 0.1, 6),
         "speed": round(rng.random() * 60, 1), "bearing": round(rng.random() * 359, 1), "battery": 80}
        for i in range(n)
    ]


def start_gunicorn(port, workers, worker_class, threads, app):
    """gunicorn with WSGI workers, as the ingestion endpoints are served in production (docs/DEVICES.md)."""
    command = [
        str(ROOT / ".venv/bin/gunicorn"), app, "-b", f"127.0.0.1:{port}", "-w", str(workers),
        "-k", worker_class, "--threads", str(threads), "--backlog", "2048", "--keep-alive", "30", "--log-level", "warning",
    ]
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "LOG_LEVEL": "ERROR"})
    for _ in range(200):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/api/health/")
            conn.getresponse().read()
            break
        except OSError:
            time.sleep(0.2)
    # Warm every worker (imports, translations, database connection) before timing.
    warm = [threading.Thread(target=_warm, args=(port,)) for _ in range(workers * 2)]
    for t in warm:
        t.start()
    for t in warm:
        t.join()
    return proc


def _warm(port):
    for _ in range(5):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", f"/api/devices/osmand/?id=X&token={TOKEN}&lat=39.9&lon=116.4&timestamp={int(time.time())}")
        conn.getresponse().read()
        conn.close()


def post_batches(jobs, port, clients):
    """jobs: list of body bytes; client threads take them from a shared queue."""
    lock = threading.Lock()
    queue = list(jobs)
    errors = []

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        while True:
            with lock:
                if not queue:
                    return
                body = queue.pop()
            conn.request("POST", "/api/devices/positions/", body=body, headers={"Content-Type": "application/json", "Authorization": f"Bearer {TOKEN}"})
            response = conn.getresponse()
            data = response.read()
            if response.status != 200:
                errors.append(data[:200])
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - started, errors


def copy_rows(rows):
    """The physical limit: a binary COPY of the same rows into the same table (same indexes and constraints), psycopg 3."""
    from apps.devices import storage

    started = time.perf_counter()
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY devices_position ({', '.join(storage.POSITION_COLUMNS)}) FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(storage.POSITION_TYPES)
            for row in rows:
                copy.write_row(row)
    return time.perf_counter() - started


def osmand_wrk(port, codes, seconds, connections, threads):
    base = int(time.time()) - 5 * 86400
    script = """
local codes = {%s}
local counter = 0
local offset = 0
local nthreads = %d
local n = 0
function setup(thread)
  thread:set("offset", n)
  n = n + 1
end
function init(args)
  offset = tonumber(wrk.thread:get("offset")) or 0
end
function request()
  local i = offset + counter * nthreads
  counter = counter + 1
  local code = codes[(i %% #codes) + 1]
  local t = %d + math.floor(i / #codes) * 20
  return wrk.format("GET", "/api/devices/osmand/?id=" .. code .. "&token=%s&lat=39.91" .. (i %% 1000) .. "&lon=116.40&timestamp=" .. t .. "&speed=12&bearing=80&batt=77")
end
""" % (", ".join(f'"{c}"' for c in codes), threads, base, TOKEN)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        out = subprocess.run(
            ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--latency", "-s", handle.name, f"http://127.0.0.1:{port}"],
            capture_output=True, text=True, timeout=seconds + 60,
        ).stdout
    finally:
        os.unlink(handle.name)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    non_2xx = int((re.search(r"Non-2xx or 3xx responses: (\d+)", out) or [0, 0])[1])
    errors = re.search(r"Socket errors: (.*)", out)
    p99 = re.search(r"99%\s+(\S+)", out)
    total = int(re.search(r"(\d+) requests in", out).group(1))
    return {"requests_per_s": round(rate, 1), "requests": total, "non_2xx": non_2xx, "socket_errors": errors.group(1) if errors else "",
            "p99": p99.group(1) if p99 else None}


def _cpu_seconds(pid):
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def _children(pid):
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                pass
    return found


class CpuMeter:
    """CPU seconds spent by the server's workers and by the PostgreSQL backends of this database, so the
    cost per request can be compared between runs whatever else the machine is doing."""

    def __init__(self, server_pid):
        self.server_pid = server_pid

    def _pids(self):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
            backends = [r[0] for r in cursor.fetchall()]
        return _children(self.server_pid) + [self.server_pid], backends

    def snapshot(self):
        workers, backends = self._pids()
        return {"server": {p: _cpu_seconds(p) for p in workers}, "database": {p: _cpu_seconds(p) for p in backends}}

    @staticmethod
    def spent(before, after):
        return {part: sum(after[part].get(p, 0.0) - before[part].get(p, 0.0) for p in after[part]) for part in ("server", "database")}


def load_average():
    return [round(x, 2) for x in os.getloadavg()]


def verdict(ok):
    return "PASS" if ok else "FAIL"


def main():
    from apps.devices.models import Device, Position

    parser = argparse.ArgumentParser()
    parser.add_argument("--points", type=int, default=200_000)
    parser.add_argument("--batch", type=int, default=5000)
    parser.add_argument("--devices", type=int, default=20, help="devices sending batches")
    parser.add_argument("--phones", type=int, default=1000, help="devices sending OsmAnd points")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--worker-class", default="gthread", help="gthread keeps client connections alive; sync closes each")
    parser.add_argument("--app", default="apps.devices.wsgi:application", help="WSGI application (cityenforce.wsgi:application: with all middleware)")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--osmand-seconds", type=int, default=10)
    parser.add_argument("--osmand-connections", type=int, default=32)
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--port", type=int, default=18741)
    parser.add_argument("--skip-batches", action="store_true")
    parser.add_argument("--skip-osmand", action="store_true")
    args = parser.parse_args()
    needs.postgresql(connection)  # it compares with COPY
    if not args.skip_osmand:
        needs.command("wrk")  # the load generator of the OsmAnd goal
    call_command("migrate", verbosity=0)
    result = {"date": timezone.now().isoformat(timespec="seconds"), "load_average_before": load_average(), "cpus": os.cpu_count(),
              "server": f"gunicorn {args.app} -w {args.workers} -k {args.worker_class} --threads {args.threads}"}
    proc = None
    try:
        if not args.skip_batches:
            vehicles = fleet("bench-vehicle", args.devices, Device.Kind.VEHICLE_GPS)
            ids = [d.pk for d in vehicles]
            per_device = args.points // len(vehicles)
            clear(ids)
            start = timezone.now().replace(microsecond=0) - dt.timedelta(days=2)
            points = make_points(per_device, start)
            jobs = [json.dumps({"device": d.code, "points": points[i:i + args.batch]}).encode() for d in vehicles for i in range(0, per_device, args.batch)]
        phones = fleet("bench-phone", args.phones, Device.Kind.VEHICLE_GPS) if not args.skip_osmand else []
        if phones:
            clear([d.pk for d in phones])
        connection.close()
        proc = start_gunicorn(args.port, args.workers, args.worker_class, args.threads, args.app)
        if not args.skip_batches:
            meter = CpuMeter(proc.pid)
            before = meter.snapshot()
            api_seconds, errors = post_batches(jobs, args.port, args.clients)
            batch_cpu = CpuMeter.spent(before, meter.snapshot())
            stored = Position.objects.filter(device_id__in=ids).count()
            repeat_jobs = jobs[: max(1, len(jobs) // 5)]
            again_seconds, again_errors = post_batches(repeat_jobs, args.port, args.clients)  # a repeat: all duplicates
            # The same rows, parsed as the API stores them, COPYed into the emptied table.
            from apps.devices import payloads

            received = timezone.now()
            rows = []
            for d in vehicles:
                rows += [(d.pk, *p, received) for p in payloads.parse_batch(points, payloads.parse_position, max_items=len(points))]
            clear(ids)
            copy_seconds = copy_rows(rows)
            clear(ids)
            total = per_device * len(vehicles)
            api_rate, copy_rate = total / api_seconds, total / copy_seconds
            result["batches"] = {
                "points": total, "stored": stored, "batch": args.batch, "clients": args.clients, "errors": len(errors),
                "api_points_per_s": round(api_rate), "copy_points_per_s": round(copy_rate), "api_to_copy": round(api_rate / copy_rate, 3),
                "repeat_points_per_s": round(len(repeat_jobs) * args.batch / again_seconds), "repeat_errors": len(again_errors),
                "sample_error": (errors[:1] or [b""])[0].decode(errors="replace"),
                "server_cpu_us_per_point": round(batch_cpu["server"] / total * 1e6, 1),
                "database_cpu_us_per_point": round(batch_cpu["database"] / total * 1e6, 1),
            }
            spent = batch_cpu["server"] + batch_cpu["database"]
            result["batches"]["points_per_cpu_s"] = round(total / spent) if spent else None
        if phones:
            result["load_average_before_osmand"] = load_average()
            meter = CpuMeter(proc.pid)
            before = meter.snapshot()
            result["osmand"] = osmand_wrk(args.port, [d.code for d in phones], args.osmand_seconds, args.osmand_connections, args.wrk_threads)
            osmand_cpu = CpuMeter.spent(before, meter.snapshot())
            requests = max(1, result["osmand"]["requests"])
            result["osmand"]["server_cpu_ms_per_request"] = round(osmand_cpu["server"] / requests * 1000, 3)
            result["osmand"]["database_cpu_ms_per_request"] = round(osmand_cpu["database"] / requests * 1000, 3)
            result["osmand"]["stored"] = Position.objects.filter(device_id__in=[d.pk for d in phones]).count()
            result["osmand"].update(phones=len(phones), connections=args.osmand_connections)
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=30)
    result["load_average_after"] = load_average()
    if "batches" in result:
        b = result["batches"]
        print(f"batched GPS through the API: {b['api_points_per_s']:,} points/s (goal >= {GOAL_POINTS_PER_S:,}) {verdict(b['api_points_per_s'] >= GOAL_POINTS_PER_S and not b['errors'])}")
        print(f"binary COPY of the same points: {b['copy_points_per_s']:,} points/s; API/COPY = {b['api_to_copy']} (goal >= {GOAL_RATIO}) {verdict(b['api_to_copy'] >= GOAL_RATIO)}")
        print(f"stored {b['stored']:,} of {b['points']:,} (each once); the same batches again (all duplicates): {b['repeat_points_per_s']:,} points/s")
    if "osmand" in result:
        o = result["osmand"]
        print(f"OsmAnd, one point per request, {o['phones']} phones over {o['connections']} connections: {o['requests_per_s']:,} requests/s "
              f"(goal >= {GOAL_OSMAND_PER_S}) {verdict(o['requests_per_s'] >= GOAL_OSMAND_PER_S and not o['non_2xx'])}; non-2xx {o['non_2xx']}, stored {o['stored']:,} of {o['requests']:,}")
    if "batches" in result:
        b = result["batches"]
        print(f"  CPU per point: server {b['server_cpu_us_per_point']} µs + PostgreSQL {b['database_cpu_us_per_point']} µs "
              f"= {b['points_per_cpu_s']:,} points per CPU-second ({result['cpus']} cores: ~{b['points_per_cpu_s'] * result['cpus']:,} points/s if nothing else ran)")
    if "osmand" in result:
        o = result["osmand"]
        per = o["server_cpu_ms_per_request"] + o["database_cpu_ms_per_request"]
        print(f"  CPU per request: server {o['server_cpu_ms_per_request']} ms + PostgreSQL {o['database_cpu_ms_per_request']} ms "
              f"({result['cpus']} cores: ~{round(result['cpus'] / per * 1000) if per else '?':,} requests/s if nothing else ran, load generator aside)")
    print(f"load average before {result['load_average_before']}, after {result['load_average_after']} on {result['cpus']} cores")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
