"""RFC 9162 hashing: hand-computed small trees, and every proof of random trees of size 1..40."""
import hashlib
import random

import pytest

from apps.evidence import merkle


def h(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def leaves(n, seed=0):
    rng = random.Random(seed)
    return [merkle.leaf_hash(rng.randbytes(rng.randint(0, 40))) for _ in range(n)]


def flip(b: bytes, bit=0) -> bytes:
    return bytes([b[0] ^ (1 << bit)]) + b[1:]


def test_the_empty_tree_hashes_to_the_hash_of_nothing():
    assert merkle.root([]) == h(b"")


def test_a_leaf_is_prefixed_with_zero_and_a_node_with_one():
    assert merkle.leaf_hash(b"abc") == h(b"\x00abc")
    assert merkle.node_hash(b"L" * 32, b"R" * 32) == h(b"\x01" + b"L" * 32 + b"R" * 32)


def test_a_three_leaf_tree_splits_two_and_one():
    a, b, c = (merkle.leaf_hash(x) for x in (b"a", b"b", b"c"))
    assert merkle.root([a, b, c]) == h(b"\x01" + h(b"\x01" + a + b) + c)


def test_a_seven_leaf_tree_matches_the_hand_computed_root_and_paths():
    d = [merkle.leaf_hash(bytes([i])) for i in range(7)]
    n = merkle.node_hash
    left = n(n(d[0], d[1]), n(d[2], d[3]))
    right = n(n(d[4], d[5]), d[6])
    assert merkle.root(d) == n(left, right)
    # RFC 9162 §2.1.5 example shapes: path of leaf 0 is [d1, n(d2,d3), right]; of leaf 6 is [n(d4,d5), left].
    assert merkle.inclusion_proof(0, d) == [d[1], n(d[2], d[3]), right]
    assert merkle.inclusion_proof(6, d) == [n(d[4], d[5]), left]
    # Consistency 3 -> 7 is [c, d, g, l] in the RFC's names.
    assert merkle.consistency_proof(3, d) == [d[2], d[3], n(d[0], d[1]), right]
    assert merkle.consistency_proof(4, d) == [right]


@pytest.mark.parametrize("size", range(1, 41))
def test_every_inclusion_proof_verifies_and_a_flipped_bit_fails(size):
    d = leaves(size, seed=size)
    r = merkle.root(d)
    for i in range(size):
        path = merkle.inclusion_proof(i, d)
        assert merkle.verify_inclusion(i, size, d[i], path, r)
        assert not merkle.verify_inclusion(i, size, flip(d[i]), path, r)
        assert not merkle.verify_inclusion(i, size, d[i], path, flip(r, 3))
        if path:
            assert not merkle.verify_inclusion(i, size, d[i], [flip(path[0], 5)] + path[1:], r)
            assert not merkle.verify_inclusion(i, size, d[i], path[:-1], r)
        if size > 1:
            assert not merkle.verify_inclusion((i + 1) % size, size, d[i], path, r) or d[i] == d[(i + 1) % size]


@pytest.mark.parametrize("size", range(1, 41))
def test_every_consistency_proof_verifies_and_a_flipped_bit_fails(size):
    d = leaves(size, seed=100 + size)
    r = merkle.root(d)
    for m in range(0, size + 1):
        old = merkle.root(d[:m])
        proof = merkle.consistency_proof(m, d)
        assert merkle.verify_consistency(m, size, old, r, proof)
        if 0 < m < size:
            assert not merkle.verify_consistency(m, size, flip(old), r, proof)
            assert not merkle.verify_consistency(m, size, old, flip(r), proof)
            assert not merkle.verify_consistency(m, size, old, r, proof[:-1] + [flip(proof[-1], 2)])
            assert not merkle.verify_consistency(m, size, old, r, proof[:-1])


def test_a_rewritten_history_is_not_consistent():
    d = leaves(20, seed=7)
    forged = list(d)
    forged[3] = merkle.leaf_hash(b"forged")
    assert not merkle.verify_consistency(10, 20, merkle.root(d[:10]), merkle.root(forged), merkle.consistency_proof(10, forged))


def test_the_right_edge_gives_the_same_root_as_the_whole_tree():
    d = leaves(100, seed=9)
    frontier = []
    for i, leaf in enumerate(d):
        frontier = merkle.frontier_append(frontier, i, leaf)
        assert merkle.frontier_root(frontier) == merkle.root(d[: i + 1])
    assert len(frontier) == bin(100).count("1")


def test_the_offline_script_verifies_proofs_the_same_way():
    from tools import verify_bundle

    for size in range(1, 25):
        d = leaves(size, seed=size)
        r = merkle.root(d)
        for i in range(size):
            assert verify_bundle.root_from_inclusion(i, size, d[i], merkle.inclusion_proof(i, d)) == r
