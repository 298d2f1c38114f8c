"""RFC 9162 hashing: hand-computed small trees, and every proof of random trees of size 1..40."""
import base64
import hashlib
import json
import random
from pathlib import Path

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
    # From size 0 nothing is proven (it used to be accepted for any roots); RFC 9162 verifiers refuse it.
    assert not merkle.verify_consistency(0, size, merkle.EMPTY_ROOT, r, merkle.consistency_proof(0, d))
    for m in range(1, size + 1):
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


# --- the reference vectors (transparency-dev/merkle) and the holes of issue 10 ---------------------------

VECTORS = json.loads((Path(__file__).parent / "vectors" / "transparency_dev_merkle.json").read_text())


def b64(value) -> bytes:
    return base64.b64decode(value or "")


def b64list(values) -> list[bytes]:
    return [b64(v) for v in values or []]


@pytest.mark.parametrize("vector", VECTORS["inclusion"], ids=[v["file"].split("testdata/")[1] for v in VECTORS["inclusion"]])
def test_the_inclusion_verifiers_agree_with_the_reference_vectors(vector):
    from tools import verify_bundle

    args = (vector["leafIdx"], vector["treeSize"], b64(vector["leafHash"]), b64list(vector["proof"]))
    accepted = merkle.verify_inclusion(*args, b64(vector["root"]))
    assert accepted is not vector["wantErr"], vector["desc"]
    offline = verify_bundle.root_from_inclusion(*args)
    assert (offline is not None and offline == b64(vector["root"])) is not vector["wantErr"], vector["desc"]


@pytest.mark.parametrize("vector", VECTORS["consistency"], ids=[v["file"].split("testdata/")[1] for v in VECTORS["consistency"]])
def test_the_consistency_verifier_agrees_with_the_reference_vectors(vector):
    accepted = merkle.verify_consistency(vector["size1"], vector["size2"], b64(vector["root1"]), b64(vector["root2"]), b64list(vector["proof"]))
    assert accepted is not vector["wantErr"], vector["desc"]


def test_the_vectors_cover_both_answers():
    for kind in ("inclusion", "consistency"):
        wants = {v["wantErr"] for v in VECTORS[kind]}
        assert wants == {True, False} and len(VECTORS[kind]) > 50


def test_a_consistency_proof_from_size_zero_is_refused_for_any_roots():
    d = leaves(8, seed=3)
    for first_root, second_root in [(merkle.EMPTY_ROOT, merkle.root(d)), (h(b"x"), h(b"y")), (b"", b"")]:
        assert not merkle.verify_consistency(0, 8, first_root, second_root, [])
        assert not merkle.verify_consistency(0, 8, first_root, second_root, [merkle.root(d)])
    assert not merkle.verify_consistency(0, 0, merkle.EMPTY_ROOT, merkle.EMPTY_ROOT, [])


def test_an_inclusion_proof_with_empty_hashes_is_refused():
    from tools import verify_bundle

    assert not merkle.verify_inclusion(0, 1, b"", [], b"")
    assert verify_bundle.root_from_inclusion(0, 1, b"", []) is None
    d = leaves(4, seed=5)
    path = merkle.inclusion_proof(1, d)
    assert not merkle.verify_inclusion(1, 4, d[1], [b""] + path[1:], merkle.root(d))
    assert verify_bundle.root_from_inclusion(1, 4, d[1], [b""] + path[1:]) is None


@pytest.mark.parametrize(
    "index, size, leaf_len, path_change",
    [(4, 4, 32, None), (-1, 4, 32, None), (0, 0, 32, None), (1, 4, 31, None), (1, 4, 33, None),
     (1, 4, 32, "drop"), (1, 4, 32, "extra"), (1, 4, 32, "short-element"), (1, 4, 32, "long-element")],
    ids=["index-equals-size", "negative-index", "empty-tree", "leaf-31-bytes", "leaf-33-bytes",
         "path-too-short", "path-too-long", "element-31-bytes", "element-33-bytes"],
)
def test_a_malformed_inclusion_proof_is_refused_by_both_verifiers(index, size, leaf_len, path_change):
    from tools import verify_bundle

    d = leaves(4, seed=11)
    path = merkle.inclusion_proof(1, d)
    leaf = (d[1] + b"\x00")[:leaf_len] if leaf_len <= 33 else d[1]
    if path_change == "drop":
        path = path[:-1]
    elif path_change == "extra":
        path = path + [h(b"extra")]
    elif path_change == "short-element":
        path = [path[0][:31]] + path[1:]
    elif path_change == "long-element":
        path = [path[0] + b"\x00"] + path[1:]
    assert not merkle.verify_inclusion(index, size, leaf, path, merkle.root(d))
    assert verify_bundle.root_from_inclusion(index, size, leaf, path) is None


@pytest.mark.parametrize(
    "first, second, change",
    [(5, 3, None), (4, 4, "non-empty-proof"), (4, 4, "other-root"), (3, 8, "empty-proof"), (3, 8, "drop"),
     (3, 8, "extra"), (3, 8, "short-element"), (3, 8, "swapped-roots")],
    ids=["first-after-second", "equal-sizes-with-proof", "equal-sizes-other-root", "empty-proof", "proof-too-short",
         "proof-too-long", "element-31-bytes", "swapped-roots"],
)
def test_a_malformed_consistency_proof_is_refused(first, second, change):
    d = leaves(8, seed=13)
    first_root, second_root = merkle.root(d[:first]), merkle.root(d[:second])
    proof = merkle.consistency_proof(first, d[:second]) if first <= second else []
    if change == "non-empty-proof":
        proof = [h(b"p")]
    elif change == "other-root":
        second_root = h(b"other")
    elif change == "empty-proof":
        proof = []
    elif change == "drop":
        proof = proof[:-1]
    elif change == "extra":
        proof = proof + [h(b"extra")]
    elif change == "short-element":
        proof = [proof[0][:31]] + proof[1:]
    elif change == "swapped-roots":
        first_root, second_root = second_root, first_root
    assert not merkle.verify_consistency(first, second, first_root, second_root, proof)
