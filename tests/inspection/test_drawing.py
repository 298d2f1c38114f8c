"""The draw algorithm on its own: deterministic, weighted, never pairs a conflicted inspector, balances load."""
import hashlib

import pytest

from apps.inspection import drawing


def seeds(n):
    return [hashlib.sha256(f"seed-{i}".encode()).digest() for i in range(n)]


CANDIDATES = [(pid, 1.0) for pid in range(100, 140)]
POOL = [1, 2, 3, 4, 5, 6]


def test_the_same_inputs_give_the_same_draw():
    seed = seeds(1)[0]
    first = drawing.run(seed=seed, candidates=CANDIDATES, pool=POOL, conflicts=[], count=10)
    second = drawing.run(seed=seed, candidates=CANDIDATES, pool=POOL, conflicts=[], count=10)
    assert first == second and len({p.place for p in first}) == 10


def test_another_seed_gives_another_draw():
    a, b = seeds(2)
    assert drawing.run(seed=a, candidates=CANDIDATES, pool=POOL, conflicts=[], count=10) != drawing.run(seed=b, candidates=CANDIDATES, pool=POOL, conflicts=[], count=10)


def test_the_stream_is_sha256_in_counter_mode():
    stream = drawing.Stream(b"abc")
    block = hashlib.sha256(b"abc" + (0).to_bytes(8, "big")).digest()
    assert stream.next_u64() == int.from_bytes(block[:8], "big")
    assert [stream.next_u64() for _ in range(3)][-1] == int.from_bytes(block[24:32], "big")
    assert stream.next_u64() == int.from_bytes(hashlib.sha256(b"abc" + (1).to_bytes(8, "big")).digest()[:8], "big")


@pytest.mark.parametrize("seed", seeds(25))
def test_no_inspector_is_paired_with_a_place_he_is_in_conflict_with(seed):
    # Inspectors 1 and 2 conflict with every even place, 3 with the first ten places.
    conflicts = [(1, p) for p, _w in CANDIDATES if p % 2 == 0] + [(2, p) for p, _w in CANDIDATES if p % 2 == 0] + [(3, p) for p in range(100, 110)]
    picks = drawing.run(seed=seed, candidates=CANDIDATES, pool=POOL, conflicts=conflicts, count=20)
    bad = {(i, p) for i, p in conflicts}
    for pick in picks:
        assert pick.inspectors[0] != pick.inspectors[1]
        assert not {(i, pick.place) for i in pick.inspectors} & bad


@pytest.mark.parametrize("seed", seeds(10))
def test_load_is_balanced_without_conflicts(seed):
    picks = drawing.run(seed=seed, candidates=CANDIDATES, pool=POOL, conflicts=[], count=12)
    loads = [sum(i in p.inspectors for p in picks) for i in POOL]
    assert max(loads) - min(loads) <= 1


def test_a_heavier_place_is_drawn_more_often():
    candidates = [(1, 10.0)] + [(pid, 1.0) for pid in range(2, 21)]
    hits = sum(1 in [p.place for p in drawing.run(seed=s, candidates=candidates, pool=POOL, conflicts=[], count=1)] for s in seeds(200))
    # Weight 10 of 29 in total: about 34% of single draws, against 5% for an equal weight.
    assert hits > 40


def test_a_draw_with_too_few_unconflicted_inspectors_is_impossible():
    with pytest.raises(drawing.DrawImpossible):
        drawing.run(seed=b"x", candidates=[(7, 1.0)], pool=[1, 2], conflicts=[(1, 7)], count=1)
    with pytest.raises(drawing.DrawImpossible):
        drawing.run(seed=b"x", candidates=[(7, 1.0)], pool=[1, 2], conflicts=[], count=2)
