"""RFC 9162 Merkle tree hashing, inclusion and consistency proofs: pure functions on 32-byte hashes."""
import hashlib

EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(entry: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two strictly less than ``n`` (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def root(leaves) -> bytes:
    """MTH over a list of leaf hashes (RFC 9162 §2.1.1)."""
    leaves = list(leaves)
    if not leaves:
        return EMPTY_ROOT
    return _mth(leaves, 0, len(leaves))


def _mth(leaves, lo, hi):
    # Recursion follows the tree shape, so its depth is about log2(n) even for a million leaves.
    n = hi - lo
    if n == 1:
        return leaves[lo]
    k = _split(n)
    return node_hash(_mth(leaves, lo, lo + k), _mth(leaves, lo + k, hi))


def inclusion_proof(index: int, leaves) -> list[bytes]:
    """PATH(m, D[n]) of RFC 9162 §2.1.3.1."""
    leaves = list(leaves)
    if not 0 <= index < len(leaves):
        raise ValueError("leaf index outside the tree")
    return _path(index, leaves, 0, len(leaves))


def _path(m, leaves, lo, hi):
    n = hi - lo
    if n == 1:
        return []
    k = _split(n)
    if m < k:
        return _path(m, leaves, lo, lo + k) + [_mth(leaves, lo + k, hi)]
    return _path(m - k, leaves, lo + k, hi) + [_mth(leaves, lo, lo + k)]


HASH_SIZE = 32


def _is_hash(value) -> bool:
    return isinstance(value, (bytes, bytearray)) and len(value) == HASH_SIZE


def root_from_inclusion(index: int, tree_size: int, leaf: bytes, path) -> bytes | None:
    """The root that ``path`` leads to from ``leaf`` (RFC 9162 §2.1.3.2), or None when the proof is malformed.

    Refuses what the reference verifier (transparency-dev/merkle) refuses: an index outside the tree, a leaf
    hash that is not 32 bytes, a path of the wrong length; and, stricter, path elements that are not 32 bytes.
    """
    path = list(path)
    if not 0 <= index < tree_size or not _is_hash(leaf) or not all(_is_hash(p) for p in path):
        return None
    fn, sn, r = index, tree_size - 1, bytes(leaf)
    for p in path:
        if sn == 0:
            return None  # the path is longer than the tree is deep
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        return None  # the path is shorter than the tree is deep
    return r


def verify_inclusion(index: int, tree_size: int, leaf: bytes, path, expected_root: bytes) -> bool:
    r = root_from_inclusion(index, tree_size, leaf, path)
    return r is not None and _is_hash(expected_root) and r == expected_root


def consistency_proof(m: int, leaves) -> list[bytes]:
    """PROOF(m, D[n]) of RFC 9162 §2.1.4.1; empty for m == 0 or m == n."""
    leaves = list(leaves)
    n = len(leaves)
    if not 0 <= m <= n:
        raise ValueError("first size must be between 0 and the tree size")
    if m == 0 or m == n:
        return []
    return _subproof(m, leaves, 0, n, True)


def _subproof(m, leaves, lo, hi, complete):
    n = hi - lo
    if m == n:
        return [] if complete else [_mth(leaves, lo, hi)]
    k = _split(n)
    if m <= k:
        return _subproof(m, leaves, lo, lo + k, complete) + [_mth(leaves, lo + k, hi)]
    return _subproof(m - k, leaves, lo + k, hi, False) + [_mth(leaves, lo, lo + k)]


def verify_consistency(first: int, second: int, first_root: bytes, second_root: bytes, path) -> bool:
    """RFC 9162 §2.1.4.2: the tree of size ``second`` extends the tree of size ``first``.

    Refuses what the reference verifier (transparency-dev/merkle) refuses: ``first`` of 0 (a proof from the
    empty tree proves nothing, whatever the roots), ``first`` > ``second``, equal sizes with a non-empty proof
    or different roots, an empty proof for different sizes, a proof of the wrong length; and, stricter,
    proof elements that are not 32 bytes.
    """
    path = list(path)
    if first <= 0 or first > second:
        return False
    if not all(_is_hash(c) for c in path):
        return False
    if first == second:
        return not path and first_root == second_root
    if not path or not _is_hash(first_root) or not _is_hash(second_root):
        return False
    if first & (first - 1) == 0:
        path = [bytes(first_root)] + path
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == first_root and sr == second_root


# --- appending without re-reading the log -------------------------------------------------
# The right edge of the tree ("frontier"): roots of the perfect subtrees that make up n leaves,
# largest first, one per set bit of n. Appending is a binary carry; the root folds from the right.


def frontier_append(frontier: list[bytes], size: int, leaf: bytes) -> list[bytes]:
    frontier = list(frontier)
    node, n = leaf, size
    while n & 1:
        node = node_hash(frontier.pop(), node)
        n >>= 1
    frontier.append(node)
    return frontier


def frontier_root(frontier: list[bytes]) -> bytes:
    if not frontier:
        return EMPTY_ROOT
    r = frontier[-1]
    for node in reversed(frontier[:-1]):
        r = node_hash(node, r)
    return r


# --- stored subtrees ----------------------------------------------------------------------
# A node (level, index) is the root of the complete, aligned block of 2**level leaves that starts at
# leaf index * 2**level. Every hash a proof needs is the MTH of a range [lo, hi) whose lo is aligned,
# and that MTH folds, from the right, the complete blocks the range decomposes into (largest first):
# so a proof needs O(log n) stored nodes, never the leaves (apps.evidence.subtrees reads them).


def frontier_append_nodes(frontier: list[bytes], size: int, leaf: bytes) -> tuple[list[bytes], list[tuple[int, int, bytes]]]:
    """``frontier_append`` that also returns the complete subtrees the new leaf completes: (level, index, hash)."""
    frontier = list(frontier)
    node, n, level = leaf, size, 0
    made = [(0, size, leaf)]
    while n & 1:
        node = node_hash(frontier.pop(), node)
        n >>= 1
        level += 1
        made.append((level, n, node))
    frontier.append(node)
    return frontier, made


def range_blocks(lo: int, hi: int) -> list[tuple[int, int]]:
    """The complete aligned blocks, largest first, that make up leaves [lo, hi), as (level, index)."""
    blocks = []
    while lo < hi:
        size = 1 << ((hi - lo).bit_length() - 1)
        while lo % size:
            size >>= 1
        level = size.bit_length() - 1
        blocks.append((level, lo >> level))
        lo += size
    return blocks


def fold_blocks(hashes: list[bytes]) -> bytes:
    """MTH of a range from the hashes of its blocks (largest first), as RFC 9162 splits it."""
    r = hashes[-1]
    for h in reversed(hashes[:-1]):
        r = node_hash(h, r)
    return r


def inclusion_ranges(index: int, size: int) -> list[tuple[int, int]]:
    """The leaf ranges whose MTHs make PATH(index, D[size]), in proof order (as ``inclusion_proof``)."""
    if not 0 <= index < size:
        raise ValueError("leaf index outside the tree")
    lo, hi, out = 0, size, []
    while hi - lo > 1:
        k = _split(hi - lo)
        if index < lo + k:
            out.append((lo + k, hi))
            hi = lo + k
        else:
            out.append((lo, lo + k))
            lo += k
    return out[::-1]


def consistency_ranges(first: int, second: int) -> list[tuple[int, int]]:
    """The leaf ranges whose MTHs make PROOF(first, D[second]), in proof order (as ``consistency_proof``)."""
    if not 0 <= first <= second:
        raise ValueError("first size must be between 0 and the tree size")
    if first == 0 or first == second:
        return []
    lo, hi, complete, out = 0, second, True, []
    while True:
        if first - lo == hi - lo:
            if not complete:
                out.append((lo, hi))
            break
        k = _split(hi - lo)
        if first - lo <= k:
            out.append((lo + k, hi))
            hi = lo + k
        else:
            out.append((lo, lo + k))
            lo += k
            complete = False
    return out[::-1]
