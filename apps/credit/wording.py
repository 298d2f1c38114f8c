"""How pages and the API word a grade's contributions and a risk's parts, in the reader's language (stored as data, worded on display)."""
from django.utils.translation import gettext as _

from apps.credit.models import Grade, RiskLevel, SourceKind
from apps.gbcp.models import Place

KIND_LABELS = dict(SourceKind.choices)
PLACE_KINDS = dict(Place.Kind.choices)
GRADE_LABELS = dict(Grade.choices)
LEVEL_LABELS = dict(RiskLevel.choices)


def contribution_rows(contributions) -> list[dict]:
    """The stored contributions with the source's label and a sentence of why."""
    rows = []
    for c in contributions or []:
        label = str(KIND_LABELS.get(c.get("kind"), c.get("kind")))
        rows.append({**c, "kind_label": label, "why": _("%(source)s on %(date)s: %(weight)+d points. %(reason)s") % {
            "source": label, "date": c.get("occurred_on", ""), "weight": int(c.get("weight", 0)), "reason": c.get("reason", "")}})
    return rows


def risk_part_why(part: dict) -> str:
    basis, figure = part.get("basis") or {}, part.get("figure", 0)
    name = part.get("part")
    if name == "inherent":
        return _("Inherent risk of a %(kind)s: %(figure)s points.") % {"kind": PLACE_KINDS.get(basis.get("kind"), basis.get("kind")), "figure": figure}
    if name in ("findings", "complaints", "cases"):
        what = {"findings": _("inspection findings"), "complaints": _("complaints upheld"), "cases": _("penalty decisions")}[name]
        return _("%(count)s %(what)s in the last %(days)s days, %(per)s points each up to %(cap)s: %(figure)s points.") % {
            "count": basis.get("count", 0), "what": what, "days": basis.get("days", ""), "per": basis.get("per", 0),
            "cap": basis.get("cap", 0), "figure": figure}
    if name == "operator_grade":
        if not basis.get("operator"):
            return _("No operating business: 0 points.")
        if not basis.get("grade"):
            return _("The operating business is not graded yet: 0 points.")
        return _("The operating business holds grade %(grade)s: %(figure)+d points.") % {"grade": basis["grade"], "figure": figure}
    if name == "recency":
        if basis.get("days_ago") is None:
            return _("No finding, complaint or penalty on record: 0 points.")
        if basis.get("within") is None:
            return _("The latest finding, complaint or penalty was %(days)s days ago: 0 points.") % {"days": basis["days_ago"]}
        return _("The latest finding, complaint or penalty was %(days)s days ago (within %(within)s days): %(figure)s points.") % {
            "days": basis["days_ago"], "within": basis["within"], "figure": figure}
    return str(figure)


def risk_part_label(name: str) -> str:
    return {"inherent": _("inherent risk"), "findings": _("inspection findings"), "complaints": _("complaints upheld"),
            "cases": _("penalty decisions"), "operator_grade": _("operator's grade"), "recency": _("recency")}.get(name, name)


def risk_part_rows(parts) -> list[dict]:
    return [{**p, "label": risk_part_label(p.get("part")), "why": risk_part_why(p)} for p in parts or []]
