"""Re-verify the whole evidence store: files against rows, rows against log entries, entries against leaf hashes, tree heads against the rebuilt tree."""
import hashlib
from dataclasses import dataclass, field

from django.core.files.storage import default_storage

from apps.evidence import merkle, signing
from apps.evidence.log import canonical_entry
from apps.evidence.models import Evidence, LogEntry, LogState, TreeHead

CHUNK = 2000


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
    key = signing.public_key()
    current_key_id = signing.key_id_of(key)

    # 1. Evidence rows: file bytes and the entry the row would give today.
    total = Evidence.objects.count()
    entries_by_evidence = dict(LogEntry.objects.values_list("evidence_id", "entry"))
    qs = Evidence.objects.order_by("id")
    for evidence in qs.iterator(chunk_size=CHUNK):
        report.evidence_checked += 1
        if check_files:
            digest = _file_digest(evidence.file.name)
            if digest is None:
                report.problems.append(f"evidence {evidence.pk}: file missing ({evidence.file.name})")
            elif digest != evidence.sha256:
                report.problems.append(f"evidence {evidence.pk}: file altered (sha256 {digest} instead of {evidence.sha256})")
        logged = entries_by_evidence.get(evidence.pk)
        if logged is None:
            report.problems.append(f"evidence {evidence.pk}: not in the log")
        elif canonical_entry(evidence).decode("ascii") != logged:
            report.problems.append(f"evidence {evidence.pk}: row differs from log entry")
        if report.evidence_checked % CHUNK == 0:
            say("evidence", report.evidence_checked, total)
    say("evidence", report.evidence_checked, total)
    del entries_by_evidence

    # 2. Log entries: contiguous indexes, leaf hash recomputed from the entry bytes; the tree is rebuilt from those.
    heads_by_size: dict[int, list[TreeHead]] = {}
    for head in TreeHead.objects.order_by("tree_size", "id").iterator(chunk_size=CHUNK):
        heads_by_size.setdefault(head.tree_size, []).append(head)
    total = LogEntry.objects.count()
    frontier: list[bytes] = []
    size = 0

    def check_heads_at(n, root):
        for head in heads_by_size.pop(n, ()):
            report.heads_checked += 1
            if head.key_id != current_key_id:
                report.problems.append(f"tree head {head.pk}: signed by an unknown key {head.key_id[:16]}")
            elif not signing.verify(signing.sth_message(head.tree_size, head.root_hash, head.timestamp), head.signature, key):
                report.problems.append(f"tree head {head.pk}: signature invalid")
            if head.root_hash != root.hex():
                report.problems.append(f"tree head {head.pk}: root mismatch at size {n}")

    check_heads_at(0, merkle.EMPTY_ROOT)
    for index, entry, stored_leaf in LogEntry.objects.order_by("index").values_list("index", "entry", "leaf_hash").iterator(chunk_size=CHUNK):
        if index != size:
            report.problems.append(f"log entry {size}: missing (next index is {index})")
            break
        leaf = merkle.leaf_hash(entry.encode("ascii", errors="replace"))
        if leaf.hex() != stored_leaf:
            report.problems.append(f"log entry {index}: leaf hash altered")
        frontier = merkle.frontier_append(frontier, size, leaf)
        size += 1
        report.entries_checked += 1
        if size in heads_by_size:
            check_heads_at(size, merkle.frontier_root(frontier))
        if size % CHUNK == 0:
            say("log", size, total)
    say("log", size, total)
    for n, heads in sorted(heads_by_size.items()):
        for head in heads:
            report.heads_checked += 1
            report.problems.append(f"tree head {head.pk}: covers {n} entries but the log has {size}")

    state = LogState.objects.filter(pk=1).first()
    if state is not None and (state.size != size or merkle.frontier_root([bytes.fromhex(h) for h in state.frontier]) != merkle.frontier_root(frontier)):
        report.problems.append(f"log state: size {state.size} / right edge do not match the {size} entries")
    return report
