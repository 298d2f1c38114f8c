"""Benchmark: scorecards of all districts and streets for a quarter over a big task history on PostGIS, from the
daily rollup, beside the raw SQL that computes the same figures from the tasks (docs/EVALUATION.md §7).

Usage (a migrated PostGIS database seeded with the full demo city; it adds generated tasks, ratings and logs):

    DATABASE_URL=postgis://postgres@127.0.0.1:5432/evaluation_bench .venv/bin/python bench/evaluation_scorecards.py \
        [--tasks 1000000] [--quarter 2026-07-01] [--runs 5]

History: ``--tasks`` tasks spread evenly over the 365 days ending with the quarter, each held by a random street
squad (one in ten by a district bureau); 3 % new, 7 % dispatched, 90 % closed (85 % of those solved); accepted
5 minutes to 30 hours after receipt against a 24-hour deadline; 60 % of the closed rated (70 % satisfied, 20 % basic,
10 % dissatisfied); 5 % returned once. Generated in the database with generate_series, then ANALYZEd. Rerunning
with the same --tasks adds nothing.
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

from django.db import connection  # noqa: E402

from apps.evaluation import services  # noqa: E402
from apps.evaluation.periods import Period, period_of  # noqa: E402
from apps.gbcp.models import Organization  # noqa: E402

PREFIX = "EVB"

GENERATE_TASKS = """
INSERT INTO dispatch_task (number, tracking_code, source, external_ref, description, region_code, reporter_name, reporter_phone,
    priority, status, alert, received_at, deadline, accepted_at, closed_at, solved, organization_id, duplicate_count, result,
    created_at, updated_at, category_method, route_reason%(extra_columns)s)
SELECT '%(prefix)s' || lpad(g::text, 10, '0'), upper(substr(md5('evb' || g::text), 1, 12)), 'hotline', '', '评价基准任务 ' || g, '110101',
    '', '', 2, s.status, '', s.received, s.received + interval '24 hours',
    CASE WHEN s.status <> 'new' AND s.status <> 'dispatched' THEN s.received + (5 + (g::bigint * 7919) %% 1800) * interval '1 minute' END,
    CASE WHEN s.status = 'closed' THEN s.received + interval '2 days' END,
    CASE WHEN s.status = 'closed' THEN (g %% 20) < 17 END,
    CASE WHEN g %% 10 = 0 THEN (%(districts)s)[1 + (g / 10) %% %(n_districts)s] ELSE (%(streets)s)[1 + g %% %(n_streets)s] END,
    0, '', now(), now(), '', ''%(extra_values)s
FROM generate_series(%(start)s, %(stop)s) AS g,
LATERAL (SELECT CASE WHEN g %% 100 < 3 THEN 'new' WHEN g %% 100 < 10 THEN 'dispatched' ELSE 'closed' END AS status,
                '%(first)s'::timestamptz + ((g::float8 / %(total)s) * 365 * 86400) * interval '1 second' AS received) AS s
"""

GENERATE_RATINGS = """
INSERT INTO dispatch_taskrating (task_id, level, comment, channel, rated_at)
SELECT t.id, CASE WHEN (t.id / 5) %% 10 < 7 THEN 'satisfied' WHEN (t.id / 5) %% 10 < 9 THEN 'basic' ELSE 'dissatisfied' END, '', 'hotline', t.closed_at
FROM dispatch_task t WHERE t.number LIKE %(like)s AND t.status = 'closed' AND t.id %% 5 < 3
ON CONFLICT DO NOTHING
"""

GENERATE_RETURNS = """
INSERT INTO dispatch_tasklog (task_id, action, reason, data, at)
SELECT t.id, 'return', '不属于本队', '{}'::jsonb, t.received_at + interval '1 hour'
FROM dispatch_task t WHERE t.number LIKE %(like)s AND t.id %% 20 = 7
"""

# The figures of docs/EVALUATION.md §2 straight from the tasks: one unit = the organisation and its children.
RAW_SQL = """
WITH unit AS (
    SELECT o.id AS org_id, o.id AS unit_id FROM gbcp_organization o WHERE o.id = ANY(%(units)s)
    UNION ALL
    SELECT c.id, c.parent_id FROM gbcp_organization c WHERE c.parent_id = ANY(%(units)s)
)
SELECT u.unit_id,
    count(*) AS received,
    count(*) FILTER (WHERE t.status <> 'new') AS reached,
    count(*) FILTER (WHERE t.status <> 'new' AND t.accepted_at IS NOT NULL) AS accepted,
    count(*) FILTER (WHERE t.status <> 'new' AND t.accepted_at IS NOT NULL AND t.deadline > t.received_at) AS response_scored,
    coalesce(sum(round(1000000 * greatest(0, least(1, 1 - extract(epoch FROM t.accepted_at - t.received_at)
                                                       / extract(epoch FROM t.deadline - t.received_at)))))
             FILTER (WHERE t.status <> 'new' AND t.accepted_at IS NOT NULL AND t.deadline > t.received_at), 0) AS response_micro,
    count(*) FILTER (WHERE t.status = 'closed') AS closed,
    count(*) FILTER (WHERE t.status = 'closed' AND t.solved) AS solved,
    count(r.id) FILTER (WHERE t.status <> 'new') AS rated,
    count(*) FILTER (WHERE t.status <> 'new' AND r.level IN ('satisfied', 'basic')) AS satisfied_or_basic,
    count(*) FILTER (WHERE t.status <> 'new' AND NOT EXISTS (
        SELECT 1 FROM dispatch_tasklog l WHERE l.task_id = t.id AND l.action IN ('return', 'refer'))) AS first_time_right
FROM dispatch_task t
JOIN unit u ON u.org_id = t.organization_id
LEFT JOIN dispatch_taskrating r ON r.task_id = t.id
WHERE t.received_at >= %(start)s AND t.received_at < %(end)s AND t.status <> 'merged'
GROUP BY u.unit_id
"""


def text_columns_to_fill(cursor):
    """NOT NULL text columns without a default that the insert does not name (address, and any added later): ''."""
    named = set(GENERATE_TASKS.split("(", 1)[1].split("%(extra_columns)s", 1)[0].replace("\n", " ").replace(" ", "").split(","))
    cursor.execute("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'dispatch_task' "
                   "AND is_nullable = 'NO' AND column_default IS NULL AND column_name <> 'id'")
    missing = [(name, kind) for name, kind in cursor.fetchall() if name not in named]
    odd = [name for name, kind in missing if kind not in ("character varying", "text")]
    if odd:
        sys.exit(f"dispatch_task has NOT NULL columns this benchmark does not fill: {odd}")
    return [name for name, _kind in missing]


def generate(total, quarter: Period):
    like = PREFIX + "%"
    with connection.cursor() as cursor:
        extra = text_columns_to_fill(cursor)
        cursor.execute("SELECT count(*) FROM dispatch_task WHERE number LIKE %s", [like])
        have = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM dispatch_taskrating r JOIN dispatch_task t ON t.id = r.task_id WHERE t.number LIKE %s", [like])
        if have >= total and cursor.fetchone()[0]:
            return have, 0.0
        districts = list(Organization.objects.filter(kind=Organization.Kind.ENFORCEMENT_TEAM, level=Organization.Level.DISTRICT).values_list("pk", flat=True))
        streets = list(Organization.objects.filter(kind=Organization.Kind.ENFORCEMENT_TEAM, level=Organization.Level.STREET).values_list("pk", flat=True))
        first = quarter.end - timedelta(days=365)
        started = time.monotonic()
        step = 200_000
        for start in range(have + 1, total + 1, step):  # nothing when the tasks are there and only the ratings are missing
            stop = min(start + step - 1, total)
            cursor.execute(GENERATE_TASKS % {
                "extra_columns": "".join(", " + c for c in extra), "extra_values": ", ''" * len(extra),
                "prefix": PREFIX, "first": first.isoformat(), "start": start, "stop": stop, "total": total,
                "districts": "ARRAY[%s]" % ",".join(map(str, districts)), "n_districts": len(districts),
                "streets": "ARRAY[%s]" % ",".join(map(str, streets)), "n_streets": len(streets),
            })
            print(json.dumps({"generated_tasks": stop}), flush=True)
        cursor.execute(GENERATE_RATINGS, {"like": like})
        cursor.execute(GENERATE_RETURNS, {"like": like})
        cursor.execute("ANALYZE dispatch_task; ANALYZE dispatch_taskrating; ANALYZE dispatch_tasklog")
        return total, round(time.monotonic() - started, 1)


def timed(fn, runs):
    samples, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        samples.append(time.perf_counter() - started)
    return result, {"median_s": round(statistics.median(samples), 3), "min_s": round(min(samples), 3), "max_s": round(max(samples), 3)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=1_000_000)
    parser.add_argument("--quarter", default="2026-07-01", help="a day of the quarter to score")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-rollup", action="store_true", help="reuse the rollup already built")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("run this against PostGIS (DATABASE_URL=postgis://...)")
    quarter = period_of("quarter", date.fromisoformat(args.quarter))
    tasks, generate_s = generate(args.tasks, quarter)
    report = {"tasks_generated": tasks, "generate_s": generate_s, "quarter": quarter.label(), "machine": platform.node(),
              "cpus": os.cpu_count(), "load_1min": round(os.getloadavg()[0], 2)}

    if not args.skip_rollup:
        history = Period(quarter.end.date() - timedelta(days=365), quarter.last)
        started = time.monotonic()
        run = services.rebuild_range(history.first, history.last)
        report.update(rollup_days=run.days, rollup_rows=run.rows, rollup_rebuild_s=round(time.monotonic() - started, 1))

    districts = list(Organization.objects.filter(kind=Organization.Kind.ENFORCEMENT_TEAM, level=Organization.Level.DISTRICT).select_related("region"))
    streets = list(Organization.objects.filter(kind=Organization.Kind.ENFORCEMENT_TEAM, level=Organization.Level.STREET).select_related("region"))
    units = districts + streets
    cards, report["rollup_scorecards"] = timed(lambda: services.scorecards_from_rollup(units=units, period=quarter), args.runs)

    def raw():
        with connection.cursor() as cursor:
            cursor.execute(RAW_SQL, {"units": [u.pk for u in units], "start": quarter.start, "end": quarter.end})
            columns = [c.name for c in cursor.description]
            return {row[0]: dict(zip(columns, row)) for row in cursor.fetchall()}

    rows, report["raw_sql"] = timed(raw, args.runs)
    mismatches = 0
    for card in cards:
        row = rows.get(card.unit.pk)
        t = card.tally
        ours = (t.received, t.reached, t.accepted, t.response_scored, t.closed, t.solved, t.rated, t.rated_satisfied + t.rated_basic, t.first_time_right)
        theirs = tuple(int(row[k]) for k in ("received", "reached", "accepted", "response_scored", "closed", "solved", "rated",
                                             "satisfied_or_basic", "first_time_right")) if row else (0,) * 9
        # Python rounds halves to even, PostgreSQL away from zero: the micro-sums may differ by a few millionths per task.
        if ours != theirs or (row and abs(t.response_micro - int(row["response_micro"])) > t.response_scored):
            mismatches += 1
    one = districts[0]
    _card, report["live_one_district"] = timed(lambda: services.scorecard_live(unit=one, period=quarter), max(1, args.runs // 2))
    report.update(units=len(units), districts=len(districts), streets=len(streets), quarter_tasks=sum(c.tally.received for c in cards[:len(districts)]),
                  mismatching_units=mismatches)
    print(json.dumps(report, ensure_ascii=False, indent=1), flush=True)


if __name__ == "__main__":
    main()
