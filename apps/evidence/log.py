"""The log's canonical entry bytes, leaf hashes, signed tree heads and proofs (reads and helpers; writes are in services)."""
import base64
import datetime as dt
import json

from django.contrib.contenttypes.models import ContentType

from apps.evidence import keys, subtrees
from apps.evidence.models import Evidence, LogEntry, LogState, TreeHead

ENTRY_VERSION = 1


def _utc(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _coord(x: float) -> str:
    return f"{x:.7f}"


def canonical_entry(evidence: Evidence) -> bytes:
    """Deterministic JSON (sorted keys, no spaces, ASCII only) of what the log vouches for; see docs/EVIDENCE.md."""
    subject_type = ""
    if evidence.subject_type_id:
        ct = ContentType.objects.get_for_id(evidence.subject_type_id)  # cached by Django: no query per row
        subject_type = f"{ct.app_label}.{ct.model}"
    point = evidence.point
    data = {
        "v": ENTRY_VERSION,
        "evidence_id": evidence.pk,
        "sha256": evidence.sha256,
        "size": evidence.size,
        "media_type": evidence.media_type,
        "captured_at": _utc(evidence.captured_at),
        "point": None if point is None else {"lon": _coord(point.x), "lat": _coord(point.y), "crs": "WGS-84"},
        "device": evidence.device,
        "uploader_id": evidence.uploaded_by_id,
        "recorded_at": _utc(evidence.recorded_at),
        "region_code": evidence.region_code,
        "subject_type": subject_type,
        "subject_id": evidence.subject_id,
    }
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii")


def leaf_hashes(tree_size: int | None = None) -> list[bytes]:
    qs = LogEntry.objects.order_by("index")
    if tree_size is not None:
        qs = qs.filter(index__lt=tree_size)
    return [bytes.fromhex(h) for h in qs.values_list("leaf_hash", flat=True).iterator(chunk_size=10000)]


def latest_tree_head() -> TreeHead | None:
    return TreeHead.objects.order_by("-tree_size", "-id").first()


def tree_head_data(head: TreeHead) -> dict:
    return {"tree_size": head.tree_size, "root_hash": head.root_hash, "timestamp": head.timestamp, "signature": head.signature, "key_id": head.key_id}


def tree_head_valid(head: TreeHead) -> bool:
    """The head's signature holds under the published key it names (heads naming no key: the first key)."""
    return keys.head_valid(head)


def proof_for(evidence: Evidence, head: TreeHead | None = None) -> dict:
    """Inclusion proof of the evidence's leaf in the latest signed tree head (or ``head``), from stored subtrees."""
    entry = evidence.log_entry
    head = head or latest_tree_head()
    path = subtrees.inclusion_proof(entry.index, head.tree_size)
    return {
        "entry": base64.b64encode(entry.entry.encode("ascii")).decode("ascii"),
        "leaf_index": entry.index,
        "leaf_hash": entry.leaf_hash,
        "audit_path": [h.hex() for h in path],
        "tree_head": tree_head_data(head),
    }


def tree_head_at(size: int) -> TreeHead | None:
    return TreeHead.objects.filter(tree_size=size).order_by("-id").first()


def log_size() -> int:
    state = LogState.objects.filter(pk=1).values_list("size", flat=True).first()
    return state or 0


def consistency(first: int, second: int) -> dict:
    """Consistency proof between two tree sizes, with the roots the proof links (O(log n) stored subtrees)."""
    if not 0 <= first <= second <= log_size():
        raise ValueError("sizes outside the log")
    first_root, second_root, proof = subtrees.consistency(first, second)
    return {
        "first": first,
        "second": second,
        "first_root": first_root.hex(),
        "second_root": second_root.hex(),
        "proof": [h.hex() for h in proof],
    }
