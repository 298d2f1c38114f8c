"""Benchmark (issue 14): training the task classifier on 10,000 texts (goal: under a minute on 2 cores) and one
prediction with the saved, calibrated model (goal: under 5 ms a text).

    .venv/bin/python bench/classifier_speed.py [--texts 10000] [--predictions 300] [--seed 0]

The 10,000 texts are **synthetic**: the project's 400 labelled reports (tests/dispatch/data/labelled_reports.csv,
16 categories), each copied with changes a real writer makes — clauses dropped or swapped, a greeting or a closing
added, characters of other reports inserted, a street name replaced — so that the near-duplicate grouping, the
search sample and the calibrated fit all see ~10,000 distinct rows. Speed depends on the number and length of
texts, not on whether the labels are hard, so the figure carries over to real complaints of similar length
(40–80 characters). Training is what ``manage.py classifier_train FILE --out`` does (search + calibrated fit + save);
prediction is ``TextClassifier.predict`` on one text at a time after loading the saved file, as intake calls it.
Prints the goals with PASS/FAIL, then one JSON line.
"""
import argparse
import csv
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cityenforce.settings")

import django  # noqa: E402

django.setup()

from apps.dispatch import classifier  # noqa: E402

SOURCE = ROOT / "tests" / "dispatch" / "data" / "labelled_reports.csv"
OPENINGS = ["", "", "你好，", "您好，", "投诉：", "反映一下，", "市民来电称，"]
CLOSINGS = ["", "", "谢谢！", "请尽快处理。", "希望有人管管。", "已经好几天了。", "麻烦核实。"]
STREETS = ["中关村大街", "学院路", "鼓楼东大街", "西直门外大街", "朝阳北路", "望京西路", "复兴路", "西四北大街"]


def synthetic(n: int, seed: int):
    rows = list(csv.DictReader(SOURCE.open(encoding="utf-8")))
    rng = random.Random(seed)
    pool = "".join(r["text"] for r in rows)
    texts, labels = [], []
    for i in range(n):
        row = rows[i % len(rows)]
        clauses = [c for c in row["text"].replace("！", "，").replace("。", "，").split("，") if c]
        if len(clauses) > 2 and rng.random() < 0.5:
            clauses.pop(rng.randrange(1, len(clauses)))
        if len(clauses) > 2 and rng.random() < 0.3:
            a, b = rng.sample(range(1, len(clauses)), 2)
            clauses[a], clauses[b] = clauses[b], clauses[a]
        text = "，".join(clauses)
        for street in STREETS:
            if street in text and rng.random() < 0.5:
                text = text.replace(street, rng.choice(STREETS))
        for _ in range(rng.randint(1, 4)):
            at = rng.randrange(len(text) + 1)
            start = rng.randrange(len(pool) - 3)
            text = text[:at] + pool[start:start + rng.randint(1, 3)] + text[at:]
        texts.append(rng.choice(OPENINGS) + text + rng.choice(CLOSINGS))
        labels.append(row["category"])
    return texts, labels


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--texts", type=int, default=10_000)
    parser.add_argument("--predictions", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    texts, labels = synthetic(args.texts, args.seed)
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    model, report = classifier.train_and_measure(texts, labels, seed=args.seed)
    with tempfile.TemporaryDirectory() as folder:
        path = model.save(Path(folder) / "model.joblib")
        train_s = time.perf_counter() - started
        loaded = classifier.TextClassifier.load(path)
    probes, _ = synthetic(args.predictions, args.seed + 1)
    loaded.predict(probes[0])  # warm
    times = []
    for text in probes:
        t = time.perf_counter()
        loaded.predict(text)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    p95 = times[int(0.95 * (len(times) - 1))]
    median = statistics.median(times)
    result = {
        "texts": len(texts), "distinct": len(set(texts)), "train_seconds": round(train_s, 1),
        "search_seconds": report["seconds"] if report else None, "searched": report["n_searched"] if report else None,
        "chosen": report["chosen"]["name"] if report else "baseline", "calibrated": loaded.meta.get("calibrated"),
        "predict_ms_median": round(median, 2), "predict_ms_p95": round(p95, 2), "predictions": len(times),
        "load_before": round(load_before, 2), "load_after": round(os.getloadavg()[0], 2),
        "machine": f"{platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}", "date": date.today().isoformat(),
    }
    print(f"training on {len(texts)} texts: {train_s:.1f} s (< 60 s: {'PASS' if train_s < 60 else 'FAIL'})")
    print(f"one prediction: median {median:.2f} ms, p95 {p95:.2f} ms (< 5 ms: {'PASS' if median < 5 else 'FAIL'})")
    print(json.dumps(result, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
