"""Write dedup_paraphrases.csv from the hand-written dedup_paraphrases.txt (python make_dedup_paraphrases.py).

Each line of the .txt is one place with three reports written by hand: A, then B (the same problem at the same
place in other words: a duplicate of A) and C (another problem at the same spot: not a duplicate). Places are
laid out on a grid 2 km apart so groups never meet; within a group C lies 15 m and B 60 m from A (two phones
never give the same point), C arrives one hour after A and B three hours after A.
"""
import csv
import datetime as dt
import math
from pathlib import Path

HERE = Path(__file__).parent
BASE = dt.datetime(2026, 5, 4, 8, 0)


def rows():
    lines = [ln for ln in (HERE / "dedup_paraphrases.txt").read_text("utf-8").splitlines() if ln.strip() and not ln.startswith("#")]
    for i, line in enumerate(lines):
        _place, code_a, a, b, code_c, c = (part.strip() for part in line.split("|"))
        lat, lon = 39.80 + (i // 8) * 0.018, 116.25 + (i % 8) * 0.024
        north = lambda metres: lat + metres / 111_320  # noqa: E731
        east = lambda metres: lon + metres / (111_320 * math.cos(math.radians(lat)))  # noqa: E731
        yield {"id": f"p{i}a", "text": a, "lat": f"{lat:.6f}", "lon": f"{lon:.6f}", "reported_at": BASE.isoformat(), "category": code_a, "duplicate_of": ""}
        yield {"id": f"p{i}c", "text": c, "lat": f"{north(15):.6f}", "lon": f"{lon:.6f}", "reported_at": (BASE + dt.timedelta(hours=1)).isoformat(), "category": code_c, "duplicate_of": ""}
        yield {"id": f"p{i}b", "text": b, "lat": f"{north(36):.6f}", "lon": f"{east(48):.6f}", "reported_at": (BASE + dt.timedelta(hours=3)).isoformat(), "category": code_a, "duplicate_of": f"p{i}a"}


if __name__ == "__main__":
    with (HERE / "dedup_paraphrases.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=["id", "text", "lat", "lon", "reported_at", "category", "duplicate_of"])
        writer.writeheader()
        writer.writerows(rows())
