"""Benchmark: the staff lists at 1M tasks on PostGIS, for a city-wide dispatcher, beside the raw SQL of each page.

Goals (issue 13): every staff list page and list API p95 < 100 ms, admin change lists < 300 ms.

    DATABASE_URL=postgis://postgres@127.0.0.1:5432/cityenforce_bench .venv/bin/python bench/staff_lists.py [--tasks 1000000] [--runs 30]

The database must be migrated and seeded (`manage.py seed_demo`); the history is generated in the database as in
bench/dispatch_intake.py (99 % closed, 1 % open, two years, the city's core) and ANALYZEd. Pages are requested
in-process through Django's test client (no network, no server), so the figures are the application's own time;
the raw SQL is the page's main query (the first page of rows and what the page counts) sent by hand.
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

from apps.accounts.models import Membership, Role, User  # noqa: E402
from apps.gbcp.models import Category, Organization  # noqa: E402

from bench import needs  # noqa: E402
from bench.dispatch_intake import grow_to  # noqa: E402

RAW = {
    # The queue: open tasks of the city, newest first, one page of 50, with category and organisation; its count.
    "queue": [
        """SELECT t.id, t.number, t.status, t.received_at, t.deadline, c.name, o.name FROM dispatch_task t
           LEFT JOIN gbcp_category c ON c.id = t.category_id LEFT JOIN gbcp_organization o ON o.id = t.organization_id
           WHERE t.region_code LIKE '1101%%' AND t.status IN ('new','dispatched','accepted','in_progress','feedback')
           ORDER BY t.received_at DESC LIMIT 50""",
        """SELECT count(*) FROM dispatch_task t WHERE t.region_code LIKE '1101%%'
           AND t.status IN ('new','dispatched','accepted','in_progress','feedback')""",
    ],
    # The API and the admin: every task, newest first, one page; the count is the planner's estimate (EXPLAIN).
    "all": [
        """SELECT t.id, t.number, t.status, t.received_at, t.deadline, c.name, o.name FROM dispatch_task t
           LEFT JOIN gbcp_category c ON c.id = t.category_id LEFT JOIN gbcp_organization o ON o.id = t.organization_id
           WHERE t.region_code LIKE '1101%%' ORDER BY t.received_at DESC LIMIT 50""",
        "EXPLAIN (FORMAT JSON) SELECT t.id FROM dispatch_task t WHERE t.region_code LIKE '1101%%'",
    ],
}


def city_dispatcher():
    user, _ = User.objects.get_or_create(username="bench_city_dispatcher", defaults={"first_name": "基准"})
    city = Organization.objects.filter(region__code="110100").order_by("level", "pk").first()
    Membership.objects.get_or_create(user=user, organization=city, role=Role.DISPATCHER)
    return user


def timed(fn, runs):
    fn()  # warm: plans, templates, caches
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    samples.sort()
    return {"median_ms": round(statistics.median(samples) * 1000, 1), "p95_ms": round(samples[max(0, int(len(samples) * 0.95) - 1)] * 1000, 1)}


def raw(statements):
    def run():
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                cursor.fetchall()
    return run


def page(client, url):
    def get():
        response = client.get(url, HTTP_HOST="127.0.0.1")
        assert response.status_code == 200, (url, response.status_code)
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
    return get


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    needs.postgresql(connection)
    started = time.monotonic()
    grow_to(args.tasks, list(Category.objects.exclude(deadline_unit="").values_list("pk", flat=True)))
    print(json.dumps({"tasks": args.tasks, "generate_s": round(time.monotonic() - started, 1)}), flush=True)
    staff = Client()
    staff.force_login(city_dispatcher())
    admin = Client()
    admin.force_login(User.objects.filter(is_superuser=True).order_by("pk").first())
    pages = [
        ("queue page /dispatch/", page(staff, "/dispatch/"), RAW["queue"], 100),
        ("task API /api/dispatch/tasks/", page(staff, "/api/dispatch/tasks/"), RAW["all"], 100),
        ("overdue board /dispatch/overdue/", page(staff, "/dispatch/overdue/"), RAW["queue"], 100),
        ("admin /admin/dispatch/task/", page(admin, "/admin/dispatch/task/"), RAW["all"], 300),
    ]
    for name, fn, statements, goal in pages:
        result = {"page": name, **timed(fn, args.runs), "raw_sql": timed(raw(statements), args.runs), "goal_p95_ms": goal}
        result["met"] = result["p95_ms"] < goal
        print(json.dumps(result, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
