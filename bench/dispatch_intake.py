"""Benchmark: taking in one report (dedup + classify + route + start the workflow) against 10k, 100k and 1M
historical tasks on PostGIS. Usage (a migrated and seeded PostGIS database; it adds generated tasks):

    DATABASE_URL=postgis://postgres@127.0.0.1:5432/cityenforce_bench .venv/bin/python bench/dispatch_intake.py [--sizes 10000,100000,1000000]

Historical tasks are generated in the database with generate_series (99% closed, 1% open, spread over
two years and over the city's core), then ANALYZEd; each size is measured with 200 fresh reports.
"""
import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cityenforce.settings")

import django  # noqa: E402

django.setup()

from django.contrib.gis.geos import Point  # noqa: E402
from django.db import connection  # noqa: E402

from apps.dispatch import services  # noqa: E402
from apps.dispatch.models import Source, Task  # noqa: E402
from apps.gbcp.models import Category  # noqa: E402

from bench import needs  # noqa: E402

GENERATE_SQL = """
INSERT INTO dispatch_task (number, tracking_code, source, external_ref, category_id, description, point, address, region_code,
    reporter_name, reporter_phone, priority, status, alert, received_at, duplicate_count, result, created_at, updated_at,
    category_method, route_reason)
SELECT 'H' || lpad(g::text, 12, '0'), upper(substr(md5('t' || g::text), 1, 12)), 'hotline', '',
    (%(category_ids)s)[1 + (g %% %(n_categories)s)],
    '历史任务 ' || g, ST_SetSRID(ST_MakePoint(116.25 + random() * 0.35, 39.80 + random() * 0.25), 4326), '', '110101',
    '', '', 2, CASE WHEN g %% 100 = 0 THEN 'dispatched' ELSE 'closed' END, '',
    now() - (random() * interval '730 days'), 0, '', now(), now(), '', ''
FROM generate_series(%(start)s, %(stop)s) AS g
"""


def grow_to(size, category_ids):
    current = Task.objects.filter(number__startswith="H").count()
    if current >= size:
        return current
    with connection.cursor() as cursor:
        cursor.execute(GENERATE_SQL % {
            "category_ids": "ARRAY[%s]" % ",".join(str(i) for i in category_ids), "n_categories": len(category_ids),
            "start": current + 1, "stop": size,
        })
        cursor.execute("ANALYZE dispatch_task")
    return size


def measure(n, rng, categories):
    samples = []
    for i in range(n):
        point = Point(116.30 + rng.random() * 0.2, 39.85 + rng.random() * 0.15, srid=4326)
        text = rng.choice(["路口有流动摊贩占道经营", "井盖缺失很危险", "工地夜间施工噪声扰民", "小区门口垃圾堆积", "共享单车乱停放堵住盲道"])
        start = time.perf_counter()
        services.task_intake(user=None, source=Source.CITIZEN, description=f"{text}（测{rng.random():.6f}）", point=point,
                             category=None if i % 2 else rng.choice(categories))
        samples.append(time.perf_counter() - start)
    samples.sort()
    return {"median_ms": round(statistics.median(samples) * 1000, 2), "p95_ms": round(samples[int(len(samples) * 0.95) - 1] * 1000, 2)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--reports", type=int, default=200)
    args = parser.parse_args()
    needs.postgresql(connection)
    rng = random.Random(7)
    categories = list(Category.objects.exclude(deadline_unit=""))
    results = {}
    for size in [int(s) for s in args.sizes.split(",")]:
        started = time.monotonic()
        grow_to(size, [c.pk for c in categories])
        generated = round(time.monotonic() - started, 1)
        measure(20, rng, categories)  # warm caches (classifier model, plans)
        results[size] = {**measure(args.reports, rng, categories), "generate_s": generated, "tasks": Task.objects.count()}
        print(json.dumps({"historical_tasks": size, **results[size]}), flush=True)


if __name__ == "__main__":
    main()
