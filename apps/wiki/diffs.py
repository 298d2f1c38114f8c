"""Differences between two revisions' texts by difflib: side by side rows or unified lines.

The rows carry raw text; templates escape it (autoescape) and the API returns it as JSON strings, so a revision
holding ``<script>`` shows the characters, never runs them.
"""
import difflib
from dataclasses import asdict, dataclass

SIDE_BY_SIDE = "side"
UNIFIED = "unified"
MODES = (SIDE_BY_SIDE, UNIFIED)


@dataclass
class Row:
    kind: str  # equal, replace, delete, insert
    left_no: int | None
    left: str
    right_no: int | None
    right: str


@dataclass
class Line:
    kind: str  # header, hunk, context, delete, insert
    text: str


def side_by_side(old: str, new: str, *, context: int | None = 3) -> list[Row]:
    """Rows of both texts aligned; with ``context`` only changed rows and that many equal rows around them."""
    a, b = (old or "").splitlines(), (new or "").splitlines()
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    groups = matcher.get_grouped_opcodes(context) if context is not None else [matcher.get_opcodes()]
    rows = []
    for group in groups:
        if rows:
            rows.append(Row("gap", None, "…", None, "…"))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                rows += [Row("equal", i + 1, a[i], j + 1, b[j]) for i, j in zip(range(i1, i2), range(j1, j2))]
                continue
            for k in range(max(i2 - i1, j2 - j1)):
                i, j = i1 + k, j1 + k
                rows.append(Row(tag if i < i2 and j < j2 else ("delete" if i < i2 else "insert"),
                                i + 1 if i < i2 else None, a[i] if i < i2 else "",
                                j + 1 if j < j2 else None, b[j] if j < j2 else ""))
    return rows


def unified(old: str, new: str, *, old_label: str = "a", new_label: str = "b", context: int = 3) -> list[Line]:
    lines = []
    for text in difflib.unified_diff((old or "").splitlines(), (new or "").splitlines(), old_label, new_label, n=context, lineterm=""):
        if text.startswith(("---", "+++")) and len(lines) < 2:
            kind = "header"
        elif text.startswith("@@"):
            kind = "hunk"
        elif text.startswith("-"):
            kind = "delete"
        elif text.startswith("+"):
            kind = "insert"
        else:
            kind = "context"
        lines.append(Line(kind, text))
    return lines


def as_dicts(items) -> list[dict]:
    return [asdict(item) for item in items]
