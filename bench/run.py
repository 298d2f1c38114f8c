"""Benchmarks of the ground floor on the demo database (run `make run` or `manage.py seed_demo` first).

Prints one JSON line: locate calls per second, place-list latency by bounding box, and the
seed time is measured separately (see docs/BENCHMARKS.md).
"""
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

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from apps.accounts.models import User  # noqa: E402
from apps.gbcp.locate import locate, make_point  # noqa: E402


def timed(fn, n):
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return samples


def main():
    rng = random.Random(1)
    points = [make_point(rng.uniform(116.2, 116.6), rng.uniform(39.8, 40.05)) for _ in range(500)]
    it = iter(points)
    locate_samples = timed(lambda: locate(next(it)), len(points))

    client = Client()
    client.force_login(User.objects.get(username="city_dispatcher"))
    boxes = []
    for _ in range(50):
        x, y = rng.uniform(116.2, 116.55), rng.uniform(39.8, 40.0)
        boxes.append(f"{x:.4f},{y:.4f},{x + 0.05:.4f},{y + 0.04:.4f}")
    box_iter = iter(boxes)
    list_samples = timed(lambda: client.get(f"/api/gbcp/places/?bbox={next(box_iter)}&page_size=200"), len(boxes))
    layer_samples = timed(lambda: client.get("/api/gbcp/regions/geojson/?level=3&zoom=10"), 10)

    def ms(samples):
        ordered = sorted(samples)
        return {"median_ms": round(statistics.median(ordered) * 1000, 2), "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1] * 1000, 2)}

    print(json.dumps({
        "database": connection.vendor,
        "locate": {"calls": len(points), "per_second": round(len(points) / sum(locate_samples), 1), **ms(locate_samples)},
        "places_bbox_api": {"requests": len(boxes), **ms(list_samples)},
        "street_layer_city_zoom": {"requests": 10, **ms(layer_samples)},
    }))


if __name__ == "__main__":
    main()
