"""Benchmark: inclusion and consistency proofs of the evidence log from stored subtree hashes, at up to 10 million entries.

The node table (evidence_lognode) is generated directly, without evidence rows or files: leaf i is the synthetic
hash SHA-256("bench-leaf" ‖ i), and every stored subtree hash above it is the real RFC 9162 node hash of those
leaves, computed as the service does when it appends (merkle.frontier_append_nodes). Proofs are then made with the
production code (apps.evidence.subtrees), checked against the root, and timed. At the smallest size the proofs are
also compared byte for byte with merkle.py's rebuild-the-tree proofs, and that older way is timed for reference.

Usage (its own database; SQLite by default, the file is created):

    .venv/bin/python bench/evidence_log.py [--sizes 100000,1000000,10000000] [--db /tmp/ops_bench_log.sqlite3] [--proofs 200]

or on PostgreSQL, with an empty database made for it (``createdb ops_bench``):

    DATABASE_URL=postgis://postgres@127.0.0.1:5432/ops_bench .venv/bin/python bench/evidence_log.py --sizes 100000,1000000

The run refuses a database whose evidence_lognode it did not make (it never writes into a real log).
"""
import argparse
import hashlib
import json
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cityenforce.settings")


def parse():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000,10000000")
    parser.add_argument("--db", default="/tmp/ops_bench_log.sqlite3", help="SQLite file (ignored with DATABASE_URL)")
    parser.add_argument("--proofs", type=int, default=200, help="proofs of each kind per size")
    parser.add_argument("--batch", type=int, default=200_000)
    return parser.parse_args()


ARGS = parse()
if not os.environ.get("DATABASE_URL"):
    os.environ["SQLITE_PATH"] = ARGS.db

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from apps.evidence import merkle, subtrees  # noqa: E402
from apps.evidence.models import NODE_LEVEL_SHIFT, LogNode  # noqa: E402

MARKER = "bench_evidence_log"


def synthetic_leaf(i: int) -> bytes:
    return hashlib.sha256(b"bench-leaf" + i.to_bytes(8, "big")).digest()


def prepare() -> int:
    """Create the node table (and a marker) in an empty database; return how many leaves it already holds."""
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
        if LogNode._meta.db_table in tables and MARKER not in tables:
            sys.exit(f"{LogNode._meta.db_table} exists and was not made by this benchmark: use an empty database")
        if LogNode._meta.db_table not in tables:
            with connection.schema_editor() as editor:
                editor.create_model(LogNode)
            cursor.execute(f"CREATE TABLE {MARKER} (note varchar(20))")
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA journal_mode=OFF")
            cursor.execute("PRAGMA synchronous=OFF")
        cursor.execute(f"SELECT count(*) FROM {LogNode._meta.db_table} WHERE key < %s", [1 << NODE_LEVEL_SHIFT])
        return cursor.fetchone()[0]


def frontier_at(size: int) -> list[bytes]:
    return [subtrees._range_hash(lo, lo + (1 << level), subtrees._fetch([(lo, lo + (1 << level))]))
            for level, lo in ((lv, ix << lv) for lv, ix in merkle.range_blocks(0, size))]


def insert(rows):
    table = LogNode._meta.db_table
    if connection.vendor == "postgresql":
        with connection.connection.cursor() as cursor, cursor.copy(f"COPY {table} (key, hash) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        connection.connection.commit()
        return
    raw = connection.connection  # the driver's own executemany: Django's wrapper costs more than the hashing here
    raw.executemany(f"INSERT INTO {table} (key, hash) VALUES (?, ?)", rows)
    raw.commit()


def grow(start: int, stop: int, batch: int) -> float:
    began = time.perf_counter()
    frontier = frontier_at(start) if start else []
    rows = []
    for i in range(start, stop):
        frontier, made = merkle.frontier_append_nodes(frontier, i, synthetic_leaf(i))
        rows.extend(((level << NODE_LEVEL_SHIFT) | index, h) for level, index, h in made)
        if len(rows) >= batch:
            insert(rows)
            rows = []
            print(f"  generated {i + 1:,}/{stop:,} leaves", flush=True)
    if rows:
        insert(rows)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {LogNode._meta.db_table}")
    return time.perf_counter() - began


def timed(fn, repeat):
    times = []
    for args in repeat:
        t = time.perf_counter()
        result = fn(*args)
        times.append((time.perf_counter() - t) * 1000)
        yield args, result, times[-1]


def summary(ms):
    ms = sorted(ms)
    return {"median_ms": round(statistics.median(ms), 3), "p95_ms": round(ms[int(len(ms) * 0.95) - 1], 3), "max_ms": round(ms[-1], 3)}


def measure(size: int, proofs: int, rng: random.Random) -> dict:
    root = subtrees.root(size)
    inclusion_ms, consistency_ms = [], []
    for (index,), path, ms in timed(lambda i: subtrees.inclusion_proof(i, size), [(rng.randrange(size),) for _ in range(proofs)]):
        assert merkle.verify_inclusion(index, size, synthetic_leaf(index), path, root), f"inclusion proof of {index} fails"
        inclusion_ms.append(ms)
    for (first,), (first_root, second_root, proof), ms in timed(lambda m: subtrees.consistency(m, size),
                                                                  [(rng.randrange(1, size),) for _ in range(proofs)]):
        assert second_root == root and merkle.verify_consistency(first, size, first_root, second_root, proof), f"consistency {first} fails"
        consistency_ms.append(ms)
    return {"inclusion": summary(inclusion_ms), "consistency": summary(consistency_ms)}


def compare_with_rebuild(size: int, rng: random.Random) -> dict:
    """At a small size: the old way (rebuild from all leaves) gives the same bytes, and how long it took."""
    leaves = [synthetic_leaf(i) for i in range(size)]
    ms = []
    for _ in range(5):
        index = rng.randrange(size)
        t = time.perf_counter()
        old = merkle.inclusion_proof(index, leaves)
        ms.append((time.perf_counter() - t) * 1000)
        assert old == subtrees.inclusion_proof(index, size), "stored-subtree proof differs from the rebuilt one"
        first = rng.randrange(1, size)
        assert merkle.consistency_proof(first, leaves) == subtrees.consistency(first, size)[2]
    return {"rebuild_inclusion_median_ms_without_reading_leaves": round(statistics.median(ms), 1)}


def main():
    sizes = sorted(int(s) for s in ARGS.sizes.split(","))
    rng = random.Random(21)
    have = prepare()
    results = {"machine": f"{platform.node()} {platform.machine()} {os.cpu_count()} CPU, {platform.python_version()}",
               "database": connection.vendor, "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "sizes": []}
    for size in sizes:
        generated = 0.0
        if have < size:
            print(f"growing the node table from {have:,} to {size:,} leaves …", flush=True)
            generated = grow(have, size, ARGS.batch)
            have = size
        print(f"measuring at {size:,} …", flush=True)
        row = {"size": size, "generation_s": round(generated, 1), **measure(size, ARGS.proofs, rng)}
        if size == sizes[0] and size <= 200_000:
            row.update(compare_with_rebuild(size, rng))
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {LogNode._meta.db_table}")
            row["node_rows"] = cursor.fetchone()[0]
        results["sizes"].append(row)
        print(json.dumps(row), flush=True)
    if connection.vendor == "sqlite":
        results["db_bytes"] = os.path.getsize(ARGS.db)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
