"""Benchmark of the street layer: response time and size of the region outlines the one-map page loads.

Needs a seeded demo city (``manage.py seed_demo``, all 16 districts); it checks that and says so.
Runs in-process against the configured database (``SQLITE_PATH`` or ``DATABASE_URL``), as the city
dispatcher, so the whole city is in scope. Prints a table and one JSON line.

    SQLITE_PATH=/tmp/demo.sqlite3 .venv/bin/python bench/street_layer.py [--repeat 10]
"""
import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cityenforce.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from apps.accounts.models import User  # noqa: E402
from apps.gbcp.models import Region  # noqa: E402

URL = "/api/gbcp/regions/geojson/"
# What onemap.js asks for: level, the map's bounds, its zoom and page_size=2000.
CASES = [
    ("streets, whole city, zoom 10", "level=3&zoom=10&page_size=2000"),
    ("streets, central bbox, zoom 11", "level=3&bbox=116.20000,39.80000,116.60000,40.05000&zoom=11&page_size=2000"),
    ("streets, Dongcheng bbox, zoom 13", "level=3&bbox=116.37000,39.87000,116.45000,39.96000&zoom=13&page_size=2000"),
    ("streets, Dongcheng bbox, zoom 14 (full detail)", "level=3&bbox=116.37000,39.87000,116.45000,39.96000&zoom=14&page_size=2000"),
    ("districts, whole city, zoom 10", "level=2&zoom=10&page_size=2000"),
]


def vertices(geometry):
    if geometry is None:
        return 0
    if geometry["type"] == "Polygon":
        return sum(len(ring) for ring in geometry["coordinates"])
    if geometry["type"] == "MultiPolygon":
        return sum(len(ring) for polygon in geometry["coordinates"] for ring in polygon)
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--user", default="city_dispatcher")
    args = parser.parse_args()

    streets = Region.objects.filter(level=Region.Level.STREET)
    districts = streets.values("parent_id").distinct().count()
    if districts < 16 or not User.objects.filter(username=args.user).exists():
        print(f"street_layer: the database holds streets of {districts} districts and user {args.user!r} "
              f"{'exists' if User.objects.filter(username=args.user).exists() else 'is missing'}: "
              "run `manage.py migrate` and `manage.py seed_demo` (all 16 districts) first.")
        return 2
    print(f"database: {connection.vendor}; streets: {streets.count()} in {districts} districts, "
          f"generated: {streets.filter(geometry_generated=True).count()}; repeat: {args.repeat}")

    client = Client()
    client.force_login(User.objects.get(username=args.user))
    results = {}
    print(f"{'case':<48} {'features':>8} {'vertices':>9} {'bytes':>10} {'queries':>7} {'median ms':>10} {'p95 ms':>8}")
    for label, query in CASES:
        queries = []
        with connection.execute_wrapper(lambda execute, sql, params, many, context: queries.append(sql) or execute(sql, params, many, context)):
            response = client.get(f"{URL}?{query}")  # warm-up, and the one whose size and statements are counted
        assert response.status_code == 200, (response.status_code, response.content[:300])
        body = response.content
        data = json.loads(body)
        samples = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            client.get(f"{URL}?{query}")
            samples.append(time.perf_counter() - start)
        ordered = sorted(samples)
        row = {
            "features": len(data["features"]),
            "vertices": sum(vertices(f["geometry"]) for f in data["features"]),
            "bytes": len(body),
            "queries": len(queries),
            "median_ms": round(statistics.median(ordered) * 1000, 1),
            "p95_ms": round(ordered[max(0, int(len(ordered) * 0.95) - 1)] * 1000, 1),
        }
        results[label] = row
        print(f"{label:<48} {row['features']:>8} {row['vertices']:>9} {row['bytes']:>10} {row['queries']:>7} {row['median_ms']:>10} {row['p95_ms']:>8}")
    print(json.dumps({"database": connection.vendor, "street_layer": results}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
