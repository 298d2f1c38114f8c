"""Benchmark (issue 16): the 三高 peak-time aggregation over 1M tasks on PostGIS beside the raw SQL of the same figure
(goal: < 1 s and ≤ 1.5 × raw), and hot spots (Gi*) over all grids of the city for a quarter (goal: < 2 s).

Usage (a migrated PostGIS database seeded with the full demo city; it adds generated closed tasks):

    DATABASE_URL=postgis://postgres@127.0.0.1:5432/analytics_bench .venv/bin/python bench/analytics.py \
        [--tasks 1000000] [--to 2026-09-30] [--runs 5]

History: ``--tasks`` closed tasks spread over the 365 days ending with ``--to``, each in a random grid of the city
(region code and grid from the grid), received at an hour drawn from the day's rhythm. Generated in the database with
generate_series, then ANALYZEd; rerunning with the same --tasks adds nothing. The peak figure is timed over the whole
year (the selector: apps.analytics.peaks.peak_times as a superuser, i.e. ORM + calendar + shaping); the raw SQL is the
same GROUP BY written by hand. Prints the goals with PASS/FAIL, then one JSON line.
"""
import argparse
import json
import os
import platform
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cityenforce.settings")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402

from apps.analytics import hotspots, peaks, selectors  # noqa: E402
from apps.analytics.filters import parse_filters  # noqa: E402
from apps.analytics.selectors import calendar_days  # noqa: E402
from apps.analytics.services import CityWide  # noqa: E402

PREFIX = "ANB"
GENERATE = """
INSERT INTO dispatch_task (number, tracking_code, source, external_ref, description, region_code, region_id, grid_id, reporter_name,
    reporter_phone, priority, status, alert, received_at, closed_at, solved, duplicate_count, result, created_at, updated_at,
    category_method, route_reason%(extra_columns)s)
SELECT '%(prefix)s' || lpad(g::text, 10, '0'), upper(substr(md5('anb' || g::text), 1, 12)), 'hotline', '', '分析基准任务', r.code, r.id, gr.id,
    '', '', 2, 'closed', '', s.received, s.received + interval '1 day', true, 0, '', now(), now(), 'history', ''%(extra_values)s
FROM generate_series(%(start)s, %(stop)s) AS g,
LATERAL (SELECT (%(grids)s)[1 + (g::bigint * 2654435761) %% %(n_grids)s] AS grid_id) AS pick
JOIN gbcp_grid gr ON gr.id = pick.grid_id JOIN gbcp_region r ON r.id = gr.region_id,
LATERAL (SELECT '%(first)s'::timestamptz + ((g::float8 / %(total)s) * 365 * 86400) * interval '1 second' AS received) AS s
"""
# The same figure by hand: tasks grouped by local hour, each hour put in its row by the calendar, summed.
RAW_SQL = """
SELECT CASE WHEN b.h::date = ANY(%(holidays)s) THEN 8 WHEN b.h::date = ANY(%(makeups)s) THEN 1
            ELSE extract(isodow FROM b.h)::int END AS row, extract(hour FROM b.h)::int AS hour, sum(b.n)
FROM (SELECT date_trunc('hour', t.received_at AT TIME ZONE 'Asia/Shanghai') AS h, count(*) AS n FROM dispatch_task t
      WHERE t.received_at >= %(start)s AND t.received_at < %(end)s AND t.status <> 'merged' GROUP BY 1) AS b
GROUP BY 1, 2
"""
# The first formulation (every task row classified by the calendar), kept to show what grouping by hour saved.
RAW_SQL_PER_ROW = """
SELECT CASE WHEN (t.received_at AT TIME ZONE 'Asia/Shanghai')::date = ANY(%(holidays)s) THEN 8
            WHEN (t.received_at AT TIME ZONE 'Asia/Shanghai')::date = ANY(%(makeups)s) THEN 1
            ELSE extract(isodow FROM t.received_at AT TIME ZONE 'Asia/Shanghai')::int END AS row,
       extract(hour FROM t.received_at AT TIME ZONE 'Asia/Shanghai')::int AS hour, count(*)
FROM dispatch_task t
WHERE t.received_at >= %(start)s AND t.received_at < %(end)s AND t.status <> 'merged'
GROUP BY 1, 2
"""


def fill_columns(cursor):
    named = set(GENERATE.split("(", 1)[1].split("%(extra_columns)s", 1)[0].replace("\n", " ").replace(" ", "").split(","))
    cursor.execute("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'dispatch_task' "
                   "AND is_nullable = 'NO' AND column_default IS NULL AND column_name <> 'id'")
    missing = [(n, k) for n, k in cursor.fetchall() if n not in named]
    odd = [n for n, k in missing if k not in ("character varying", "text")]
    if odd:
        sys.exit(f"dispatch_task has NOT NULL columns this benchmark does not fill: {odd}")
    return [n for n, _k in missing]


def generate(total, last: date):
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM dispatch_task WHERE number LIKE %s", [PREFIX + "%"])
        have = cursor.fetchone()[0]
        if have >= total:
            return have, 0.0
        extra = fill_columns(cursor)
        cursor.execute("SELECT id FROM gbcp_grid ORDER BY id")
        grids = [r[0] for r in cursor.fetchall()]
        if not grids:
            sys.exit("no grids: seed the demo city first")
        started = time.monotonic()
        for start in range(have + 1, total + 1, 200_000):
            stop = min(start + 199_999, total)
            cursor.execute(GENERATE % {"extra_columns": "".join(", " + c for c in extra), "extra_values": ", ''" * len(extra), "prefix": PREFIX,
                                       "start": start, "stop": stop, "total": total, "first": (last - timedelta(days=364)).isoformat(),
                                       "grids": "ARRAY[%s]" % ",".join(map(str, grids)), "n_grids": len(grids)})
            print(json.dumps({"generated_tasks": stop}), flush=True)
        cursor.execute("ANALYZE dispatch_task")
        return total, time.monotonic() - started


def clustered(filters, runs):
    """Gi* (cache cleared each run) on counts with six planted clusters over the city's grids: the case where the
    first stage's 9,999 permutations cannot decide and the full count runs."""
    import numpy as np
    import shapely

    grids = list(selectors.grids_in_scope(user=CityWide(), filters=filters).only("id", "boundary"))
    polygons = [shapely.from_wkb(bytes(g.boundary.wkb)) for g in grids]
    rng = np.random.default_rng(3)
    y = rng.poisson(180, len(polygons)).astype(float)
    queen = hotspots._queen(polygons, hotspots._shape_key(polygons))
    position = {key: i for i, key in enumerate(queen.id_order)}
    for c in rng.choice(len(polygons), 6, replace=False):
        y[c] += 400
        for neighbour in queen.neighbors[queen.id_order[c]]:
            y[position[neighbour]] += 150
    counts = y.tolist()

    def run():
        cache.clear()
        return hotspots.gi_star(counts, polygons)

    seconds = timed(run, runs)
    found, perms = run()
    return seconds, perms, sum(1 for s in found if s["class"] == hotspots.HOT)


def timed(fn, runs):
    fn()  # warm
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=1_000_000)
    parser.add_argument("--to", default=None)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("run on PostGIS (DATABASE_URL=postgis://…)")
    last = date.fromisoformat(args.to) if args.to else date.today() - timedelta(days=1)
    have, seconds = generate(args.tasks, last)
    user = CityWide()
    year = parse_filters({"from": (last - timedelta(days=364)).isoformat(), "to": last.isoformat()})
    quarter = parse_filters({"from": (last - timedelta(days=90)).isoformat(), "to": last.isoformat()})
    holidays, makeups = calendar_days(year.first, year.last)

    def raw(sql=RAW_SQL):
        with connection.cursor() as cursor:
            cursor.execute(sql, {"holidays": holidays, "makeups": makeups, "start": year.start, "end": year.end})
            return cursor.fetchall()

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM dispatch_task WHERE received_at >= %s AND received_at < %s", [year.start, year.end])
        in_year = cursor.fetchone()[0]
    peak_s = timed(lambda: peaks.peak_times(user=user, filters=year), args.runs)
    raw_s = timed(raw, args.runs)
    per_row_s = timed(lambda: raw(RAW_SQL_PER_ROW), max(1, args.runs // 2))
    figure = peaks.peak_times(user=user, filters=year)["counts"]
    by_hand = {(r, h): n for r, h, n in raw()}
    same = all(figure[r - 1][h] == by_hand.get((r, h), 0) for r in range(1, 9) for h in range(24))
    def cold_spots():
        cache.clear()  # the first view of a map: nothing cached but the process's contiguity weights
        return hotspots.hot_spots(user=user, filters=quarter)

    spots_s = timed(cold_spots, max(1, args.runs // 2))
    spots = hotspots.hot_spots(user=user, filters=quarter)
    warm_s = timed(lambda: hotspots.hot_spots(user=user, filters=quarter), args.runs)
    clustered_s, clustered_perms, clustered_hot = clustered(quarter, max(1, args.runs // 2))
    report = {
        "tasks_in_year": in_year, "generated": have, "generate_seconds": round(seconds, 1),
        "peak_times_s": round(peak_s, 3), "raw_sql_s": round(raw_s, 3), "ratio": round(peak_s / raw_s, 2) if raw_s else None,
        "raw_sql_per_row_s": round(per_row_s, 3), "selector_equals_raw": same,
        "hot_spots_quarter_s": round(spots_s, 3), "grids": len(spots["grids"]), "permutations": spots["permutations"],
        "hot_spots_cached_s": round(warm_s, 3), "clustered_gi_star_s": round(clustered_s, 3), "clustered_permutations": clustered_perms,
        "clustered_hot": clustered_hot,
        "machine": f"{platform.machine()} {os.cpu_count()} cores, {platform.python_version()}", "date": date.today().isoformat(),
    }
    print(f"the selector's matrix equals the raw SQL's: {'PASS' if same else 'FAIL'}")
    print(f"peak times {peak_s:.3f} s (< 1 s: {'PASS' if peak_s < 1 else 'FAIL'}; ≤ 1.5 × raw {raw_s:.3f} s: {'PASS' if peak_s <= 1.5 * raw_s else 'FAIL'})")
    print(f"hot spots, a quarter over {len(spots['grids'])} grids: {spots_s:.3f} s with {spots['permutations']} permutations "
          f"(< 2 s: {'PASS' if spots_s < 2 else 'FAIL'}); the same map again (cached): {warm_s:.3f} s")
    print(f"Gi* alone on planted clusters over the same grids: {clustered_s:.3f} s with {clustered_perms} permutations, "
          f"{clustered_hot} hot (< 2 s: {'PASS' if clustered_s < 2 else 'FAIL'})")
    print(json.dumps(report, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
