"""Re-verify the whole evidence store: files against rows, rows against log entries, entries against leaf hashes, tree heads against the rebuilt tree."""
import hashlib
from dataclasses import dataclass, field

from django.core.files.storage import default_storage

from apps.evidence import keys, merkle
from apps.evidence.log import canonical_entry
from apps.evidence.models import NODE_LEVEL_SHIFT, Evidence, LogEntry, LogNode, LogState, TreeHead

CHUNK = 2000
NODE_BATCH = 900  # keys per IN (...) query, under SQLite's parameter limit


@dataclass
class Report:
    evidence_checked: int = 0
    entries_checked: int = 0
    heads_checked: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _file_digest(name: str) -> str | None:
    digest = hashlib.sha256()
    try:
        with default_storage.open(name, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
    except (OSError, ValueError):
        return None
    return digest.hexdigest()


def verify_all(*, progress=None, check_files: bool = True) -> Report:
    """``progress(stage, done, total)`` is called now and then; every problem is a line naming the record."""
    report = Report()
    say = progress or (lambda *a: None)
    published = keys.published_keys()

    # 1. Evidence rows: file bytes and the entry the row would give today (one pass, joined to its log entry).
    total = Evidence.objects.count()
    for evidence in Evidence.objects.select_related("log_entry").order_by("id").iterator(chunk_size=CHUNK):
        report.evidence_checked += 1
        if check_files:
            digest = _file_digest(evidence.file.name)
            if digest is None:
                report.problems.append(f"evidence {evidence.pk}: file missing ({evidence.file.name})")
            elif digest != evidence.sha256:
                report.problems.append(f"evidence {evidence.pk}: file altered (sha256 {digest} instead of {evidence.sha256})")
        logged = getattr(evidence, "log_entry", None)
        if logged is None:
            report.problems.append(f"evidence {evidence.pk}: not in the log")
        elif canonical_entry(evidence).decode("ascii") != logged.entry:
            report.problems.append(f"evidence {evidence.pk}: row differs from log entry")
        if report.evidence_checked % CHUNK == 0:
            say("evidence", report.evidence_checked, total)
    say("evidence", report.evidence_checked, total)

    # 2. Log entries: contiguous indexes, leaf hash recomputed from the entry bytes; the tree is rebuilt from those.
    # Plain tuples: a million heads as model instances would not fit comfortably in memory.
    heads_by_size: dict[int, list[tuple]] = {}
    fields = ("id", "tree_size", "root_hash", "timestamp", "signature", "key_id")
    for row in TreeHead.objects.order_by("tree_size", "id").values_list(*fields).iterator(chunk_size=CHUNK):
        heads_by_size.setdefault(row[1], []).append(row)
    total = LogEntry.objects.count()
    frontier: list[bytes] = []
    size = 0

    def check_heads_at(n, root):
        for pk, tree_size, root_hash, timestamp, signature, key_id in heads_by_size.pop(n, ()):
            report.heads_checked += 1
            problem = keys.head_problem(key_id=key_id, tree_size=tree_size, root_hash=root_hash, timestamp=timestamp,
                                        signature=signature, keys=published)
            if problem:
                report.problems.append(f"tree head {pk}: {problem}")
            if root_hash != root.hex():
                report.problems.append(f"tree head {pk}: root mismatch at size {n}")

    check_heads_at(0, merkle.EMPTY_ROOT)
    expected_nodes: dict[int, bytes] = {}
    nodes_seen = 0

    def check_nodes():
        stored = {key: bytes(h) for key, h in LogNode.objects.filter(key__in=list(expected_nodes)).values_list("key", "hash")}
        for key, h in expected_nodes.items():
            if stored.get(key) != h:
                what = "missing" if key not in stored else "altered"
                report.problems.append(f"subtree hash level {key >> NODE_LEVEL_SHIFT} #{key & ((1 << NODE_LEVEL_SHIFT) - 1)}: {what}")
        expected_nodes.clear()
    for index, entry, stored_leaf in LogEntry.objects.order_by("index").values_list("index", "entry", "leaf_hash").iterator(chunk_size=CHUNK):
        if index != size:
            report.problems.append(f"log entry {size}: missing (next index is {index})")
            break
        leaf = merkle.leaf_hash(entry.encode("ascii", errors="replace"))
        if leaf.hex() != stored_leaf:
            report.problems.append(f"log entry {index}: leaf hash altered")
        frontier, made = merkle.frontier_append_nodes(frontier, size, leaf)
        for level, node_index, h in made:
            expected_nodes[LogNode.key_for(level, node_index)] = h
        nodes_seen += len(made)
        if len(expected_nodes) >= NODE_BATCH:
            check_nodes()
        size += 1
        report.entries_checked += 1
        if size in heads_by_size:
            check_heads_at(size, merkle.frontier_root(frontier))
        if size % CHUNK == 0:
            say("log", size, total)
    check_nodes()
    if LogNode.objects.count() != nodes_seen:
        report.problems.append(f"subtree hashes: {LogNode.objects.count()} stored, {nodes_seen} expected for {size} entries")
    say("log", size, total)
    for n, heads in sorted(heads_by_size.items()):
        for row in heads:
            report.heads_checked += 1
            report.problems.append(f"tree head {row[0]}: covers {n} entries but the log has {size}")

    state = LogState.objects.filter(pk=1).first()
    if state is not None and (state.size != size or merkle.frontier_root([bytes.fromhex(h) for h in state.frontier]) != merkle.frontier_root(frontier)):
        report.problems.append(f"log state: size {state.size} / right edge do not match the {size} entries")
    return report


def orphan_files() -> list[str]:
    """Stored evidence files no row points to (left when a caller's outer transaction rolled back)."""
    referenced = set(Evidence.objects.values_list("file", flat=True))
    found = []

    def walk(prefix):
        try:
            dirs, files = default_storage.listdir(prefix)
        except (OSError, NotImplementedError):
            return
        for name in files:
            path = f"{prefix}/{name}"
            if path not in referenced:
                found.append(path)
        for d in dirs:
            walk(f"{prefix}/{d}")

    walk("evidence/sha256")
    return sorted(found)
