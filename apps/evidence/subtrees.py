"""Proofs from stored subtree hashes (LogNode): each inclusion or consistency proof reads O(log n) rows in one query."""
from apps.evidence import merkle
from apps.evidence.models import LogNode


class MissingNodes(Exception):
    """The node table lacks a subtree a proof needs (the log was not backfilled, or rows were removed)."""


def _fetch(ranges: list[tuple[int, int]], *, using=None) -> dict[int, bytes]:
    keys = {LogNode.key_for(level, index) for lo, hi in ranges for level, index in merkle.range_blocks(lo, hi)}
    if not keys:
        return {}
    qs = LogNode.objects.using(using) if using else LogNode.objects
    found = {key: bytes(h) for key, h in qs.filter(key__in=keys).values_list("key", "hash")}
    if len(found) != len(keys):
        raise MissingNodes(f"{len(keys) - len(found)} subtree hash(es) missing")
    return found


def _range_hash(lo: int, hi: int, nodes: dict[int, bytes]) -> bytes:
    if lo == hi:
        return merkle.EMPTY_ROOT
    return merkle.fold_blocks([nodes[LogNode.key_for(level, index)] for level, index in merkle.range_blocks(lo, hi)])


def root(size: int, *, using=None) -> bytes:
    nodes = _fetch([(0, size)], using=using)
    return _range_hash(0, size, nodes)


def leaf(index: int, *, using=None) -> bytes:
    return _fetch([(index, index + 1)], using=using)[LogNode.key_for(0, index)]


def inclusion_proof(index: int, size: int, *, using=None) -> list[bytes]:
    """Byte-identical to ``merkle.inclusion_proof(index, leaves[:size])``."""
    ranges = merkle.inclusion_ranges(index, size)
    nodes = _fetch(ranges, using=using)
    return [_range_hash(lo, hi, nodes) for lo, hi in ranges]


def consistency(first: int, second: int, *, using=None) -> tuple[bytes, bytes, list[bytes]]:
    """(root at ``first``, root at ``second``, PROOF(first, D[second])), from one query."""
    ranges = merkle.consistency_ranges(first, second)
    nodes = _fetch(ranges + [(0, first), (0, second)], using=using)
    proof = [_range_hash(lo, hi, nodes) for lo, hi in ranges]
    return _range_hash(0, first, nodes), _range_hash(0, second, nodes), proof


def nodes_for_leaves(leaves, start_size: int = 0, frontier=None):
    """Yield (key, hash) of every node the leaves complete, appended from ``start_size`` with ``frontier``."""
    frontier = list(frontier or [])
    size = start_size
    for leaf_hash in leaves:
        frontier, made = merkle.frontier_append_nodes(frontier, size, leaf_hash)
        size += 1
        for level, index, h in made:
            yield LogNode.key_for(level, index), h
