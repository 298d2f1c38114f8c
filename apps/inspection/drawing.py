"""The 双随机 draw as a pure function: the same inputs give the same result on any machine.

Inputs: a seed (bytes), candidate places in canonical order with weights, the
ordered inspector pool and the (inspector, place) pairs that conflict.

1. Random numbers come from SHA-256 in counter mode over the seed: block n is
   SHA-256(seed || n as 8 big-endian bytes); each block gives four 64-bit
   unsigned integers (big-endian), used in order. No language's PRNG is
   involved, so anyone can re-implement it.
2. Places: weighted sampling without replacement after Efraimidis and
   Spirakis. Each candidate, in canonical order, takes one number x and
   u = (x + 0.5) / 2^64 in (0, 1); its key is ln(u) / weight (the logarithm of
   u^(1/w), same order). The ``count`` largest keys are drawn, largest first
   (ties: earlier candidate first).
3. Inspectors: for each drawn place in drawn order, two distinct inspectors
   from the pool minus those in conflict with the place; each pick takes the
   inspectors with the fewest assignments so far and, among them (in pool
   order), the one at index x mod n with the next number x.
"""
import hashlib
import json
import math
from dataclasses import dataclass

ALGORITHM = "sha256-ctr/efraimidis-spirakis/least-loaded-pairs v1"


class DrawImpossible(ValueError):
    """Too few candidates or too few unconflicted inspectors."""

    def __init__(self, message, *, place_id=None):
        super().__init__(message)
        self.place_id = place_id


class Stream:
    """Unsigned 64-bit integers from SHA-256(seed || counter)."""

    def __init__(self, seed: bytes):
        self.seed = seed
        self.counter = 0
        self.buffer: list[int] = []

    def next_u64(self) -> int:
        if not self.buffer:
            block = hashlib.sha256(self.seed + self.counter.to_bytes(8, "big")).digest()
            self.counter += 1
            self.buffer = [int.from_bytes(block[i:i + 8], "big") for i in range(0, 32, 8)]
        return self.buffer.pop(0)

    def next_unit(self) -> float:
        return (self.next_u64() + 0.5) / 2.0**64

    def next_index(self, n: int) -> int:
        return self.next_u64() % n


@dataclass(frozen=True)
class Pick:
    place: int
    inspectors: tuple[int, int]

    def as_json(self):
        return {"place": self.place, "inspectors": list(self.inspectors)}


def sample_places(stream: Stream, candidates: list[tuple[int, float]], count: int) -> list[int]:
    if count > len(candidates):
        raise DrawImpossible("fewer candidates than places to draw")
    keyed = []
    for position, (place_id, weight) in enumerate(candidates):
        u = stream.next_unit()
        if weight <= 0:
            continue  # a zero weight is never drawn, but still consumes its number so the stream stays aligned
        keyed.append((math.log(u) / weight, -position, place_id))
    if count > len(keyed):
        raise DrawImpossible("fewer candidates with a positive weight than places to draw")
    keyed.sort(reverse=True)
    return [place_id for _key, _pos, place_id in keyed[:count]]


def pair_inspectors(stream: Stream, places: list[int], pool: list[int], conflicts: set[tuple[int, int]]) -> list[Pick]:
    load = {inspector: 0 for inspector in pool}
    picks = []
    for place_id in places:
        eligible = [i for i in pool if (i, place_id) not in conflicts]
        chosen = []
        for _ in range(2):
            remaining = [i for i in eligible if i not in chosen]
            if not remaining:
                raise DrawImpossible("fewer than two inspectors without a conflict", place_id=place_id)
            fewest = min(load[i] for i in remaining)
            ties = [i for i in remaining if load[i] == fewest]
            inspector = ties[stream.next_index(len(ties))]
            chosen.append(inspector)
            load[inspector] += 1
        picks.append(Pick(place=place_id, inspectors=(chosen[0], chosen[1])))
    return picks


def run(*, seed: bytes, candidates, pool, conflicts, count: int) -> list[Pick]:
    """The whole draw. ``candidates``: [(place_id, weight)], ``pool``: [inspector_id], ``conflicts``: [(inspector_id, place_id)]."""
    stream = Stream(seed)
    places = sample_places(stream, [(int(p), float(w)) for p, w in candidates], count)
    return pair_inspectors(stream, places, [int(i) for i in pool], {(int(i), int(p)) for i, p in conflicts})


def inputs_digest(*, seed_hex: str, algorithm: str, candidates, pool_ids, conflicts, count: int) -> str:
    """SHA-256 over the canonical JSON of everything the result depends on (published with the draw)."""
    payload = {
        "algorithm": algorithm, "seed": seed_hex, "count": count,
        "candidates": [[int(p), str(w)] for p, w in candidates],
        "pool": [int(i) for i in pool_ids],
        "conflicts": sorted([int(i), int(p)] for i, p in conflicts),
    }
    return hashlib.sha256(json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()).hexdigest()
