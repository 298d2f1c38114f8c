"""Proofs from stored subtree hashes are byte-identical to rebuilding the tree, and read a fixed number of rows."""
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given, settings as hsettings, strategies as st

from apps.evidence import log, merkle, services, subtrees
from apps.evidence.models import LogNode


def leaves(n, seed=0):
    rng = random.Random(seed)
    return [merkle.leaf_hash(rng.randbytes(8)) for _ in range(n)]


def node_table(ls):
    return dict(subtrees.nodes_for_leaves(ls))


def proof_from_nodes(index, size, nodes):
    return [subtrees._range_hash(lo, hi, nodes) for lo, hi in merkle.inclusion_ranges(index, size)]


def consistency_from_nodes(first, second, nodes):
    return [subtrees._range_hash(lo, hi, nodes) for lo, hi in merkle.consistency_ranges(first, second)]


def test_every_proof_of_every_tree_up_to_70_leaves_matches_the_rebuilt_tree():
    ls = leaves(70)
    nodes = node_table(ls)
    for n in range(1, 71):
        assert subtrees._range_hash(0, n, nodes) == merkle.root(ls[:n])
        for m in range(n):
            assert proof_from_nodes(m, n, nodes) == merkle.inclusion_proof(m, ls[:n])
        for m in range(n + 1):
            assert consistency_from_nodes(m, n, nodes) == merkle.consistency_proof(m, ls[:n])


@hsettings(max_examples=60, deadline=None)
@given(st.integers(min_value=1, max_value=3000), st.data())
def test_proofs_of_random_sizes_match_the_rebuilt_tree(n, data):
    ls = leaves(n, seed=n)
    nodes = node_table(ls)
    m = data.draw(st.integers(min_value=0, max_value=n - 1))
    first = data.draw(st.integers(min_value=0, max_value=n))
    assert proof_from_nodes(m, n, nodes) == merkle.inclusion_proof(m, ls)
    assert consistency_from_nodes(first, n, nodes) == merkle.consistency_proof(first, ls)
    assert subtrees._range_hash(0, n, nodes) == merkle.root(ls)


def test_a_tree_stores_about_two_nodes_per_leaf():
    # 2n - popcount(n) nodes: every complete aligned block, leaves included.
    for n in (1, 2, 7, 64, 1000):
        assert len(node_table(leaves(n))) == 2 * n - bin(n).count("1")


@pytest.mark.django_db
def test_recorded_evidence_gets_proofs_equal_to_the_rebuilt_tree_in_one_query(insider, photo, dc_task, media_root):
    recorded = [services.evidence_record(user=insider, file=photo(), subject=dc_task) for _ in range(5)]
    all_leaves = log.leaf_hashes()
    head = log.latest_tree_head()
    assert head.tree_size == len(all_leaves)
    for evidence in recorded:
        evidence.refresh_from_db()
        expected = merkle.inclusion_proof(evidence.log_entry.index, all_leaves)
        with CaptureQueriesContext(connection) as queries:
            path = subtrees.inclusion_proof(evidence.log_entry.index, head.tree_size)
        assert path == expected and len(queries) == 1
        assert merkle.verify_inclusion(evidence.log_entry.index, head.tree_size, bytes.fromhex(evidence.log_entry.leaf_hash), path,
                                       bytes.fromhex(head.root_hash))
    first = len(all_leaves) - 3
    data = log.consistency(first, len(all_leaves))
    assert [bytes.fromhex(h) for h in data["proof"]] == merkle.consistency_proof(first, all_leaves)
    assert data["second_root"] == head.root_hash == merkle.root(all_leaves).hex()
    assert merkle.verify_consistency(first, len(all_leaves), bytes.fromhex(data["first_root"]), bytes.fromhex(data["second_root"]),
                                     [bytes.fromhex(h) for h in data["proof"]])
    assert LogNode.objects.count() == 2 * len(all_leaves) - bin(len(all_leaves)).count("1")


@pytest.mark.django_db
def test_a_proof_past_a_missing_subtree_says_so(insider, photo, dc_task, media_root):
    services.evidence_record(user=insider, file=photo(), subject=dc_task)
    size = log.latest_tree_head().tree_size
    with pytest.raises(subtrees.MissingNodes):
        subtrees.inclusion_proof(0, size + 5)


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the PostgreSQL trigger refuses the tampering itself")
@pytest.mark.django_db
def test_verify_names_an_altered_or_missing_subtree_hash(insider, photo, dc_task, media_root):
    from apps.evidence.verify import verify_all

    services.evidence_record_many(user=insider, files=[photo(), photo()], subject=dc_task)
    size = log.latest_tree_head().tree_size
    level, index = merkle.range_blocks(0, size)[0]
    key = LogNode.key_for(level, index)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE evidence_lognode SET hash = %s WHERE key = %s", [b"\x00" * 32, key])
    assert f"subtree hash level {level} #{index}: altered" in verify_all(check_files=False).problems
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM evidence_lognode WHERE key = %s", [LogNode.key_for(0, size - 1)])
    problems = verify_all(check_files=False).problems
    assert f"subtree hash level 0 #{size - 1}: missing" in problems
    assert any("stored" in p and "expected" in p for p in problems)
