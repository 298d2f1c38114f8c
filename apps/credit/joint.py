"""The joint-punishment list (联合惩戒名单): who is on it, with the records that put each business there, and its export rows.

A business is on the list when its grade is D, or when it has a serious record in force (``rules.is_serious``: a penalty
at or above the major fine, or any record weighing the rule set's ``serious_weight`` or less). Staff read the list of
their jurisdiction (the business's graded region, as every staff read of credit); everyone else reads nothing.
"""
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.decorators import is_staff_user
from apps.accounts.jurisdiction import scope_queryset
from apps.credit import rules
from apps.credit.models import CreditRecord, EntityGrade
from apps.credit.selectors import ruleset_active
from apps.gbcp.masking import Clearance, mask_name
from apps.gbcp.models import Organization

GRADE_D = "D"

# The export's columns, in order: (key, Chinese heading). docs/CREDIT.md describes each.
EXPORT_COLUMNS = (
    ("uscc", "统一社会信用代码"), ("name", "主体名称"), ("legal_representative", "法定代表人"), ("grade", "信用等级"),
    ("score", "信用分"), ("criteria", "列入依据"), ("reasons", "失信事由"), ("record_dates", "记录日期"), ("issuing_bureau", "认定机关"),
    ("ruleset_version", "规则版本"), ("exported_at", "导出时间"),
)


@dataclass
class Listed:
    """One business on the list: its grade (if graded), why it is listed, and the records behind it (largest effect first)."""

    entity: object
    grade: EntityGrade | None
    criteria: list = field(default_factory=list)  # "grade_d", "serious_record"
    records: list = field(default_factory=list)

    @property
    def serious_records(self):
        return [r for r in self.records if r.is_serious]


def _serious_q(serious_weight: int) -> Q:
    return Q(rule=rules.MAJOR_PENALTY_RULE) | Q(weight__lte=serious_weight)


def serious_weight() -> int:
    ruleset = ruleset_active()
    return ruleset.serious_weight if ruleset is not None else rules.DEFAULT_SERIOUS_WEIGHT


def joint_list_for_user(*, user, q=None) -> list[Listed]:
    """The list in the caller's jurisdiction (three queries whatever its length); empty for anyone but staff."""
    if not is_staff_user(user):
        return []
    limit = serious_weight()
    grades = scope_queryset(EntityGrade.objects.all(), user, "region_code")
    if q:
        grades = grades.filter(Q(entity__name__icontains=q) | Q(entity__uscc__iexact=q))
    active = CreditRecord.objects.filter(status=CreditRecord.Status.ACTIVE)
    serious_ids = active.filter(_serious_q(limit)).values("entity_id")
    listed = list(grades.filter(Q(grade=GRADE_D) | Q(entity_id__in=serious_ids)).select_related("entity", "entity__region", "ruleset")
                  .order_by("score", "entity__name"))
    ids = [g.entity_id for g in listed]
    by_entity: dict = {pk: [] for pk in ids}
    for record in active.filter(entity_id__in=ids, weight__lt=0).order_by("weight", "-occurred_on", "pk"):
        record.is_serious = rules.is_serious(rule=record.rule, weight=record.weight, serious_weight=limit)
        by_entity[record.entity_id].append(record)
    out = []
    for grade in listed:
        records = by_entity[grade.entity_id]
        criteria = (["grade_d"] if grade.grade == GRADE_D else []) + (["serious_record"] if any(r.is_serious for r in records) else [])
        # Grade D: every negative record in force made it; otherwise the serious ones alone put it there.
        shown = records if grade.grade == GRADE_D else [r for r in records if r.is_serious]
        out.append(Listed(entity=grade.entity, grade=grade, criteria=criteria, records=shown))
    return out


def criterion_label(criterion: str) -> str:
    return {"grade_d": _("grade D"), "serious_record": _("serious violation record in force")}.get(criterion, criterion)


def _bureaus(codes) -> dict:
    """{district code: name of its district enforcement bureau} in one query (the bureau that recorded what credit was told)."""
    districts = {c[:6] for c in codes if c}
    rows = Organization.objects.filter(level=Organization.Level.DISTRICT, kind__in=[Organization.Kind.BUREAU, Organization.Kind.ENFORCEMENT_TEAM],
                                       region__code__in=districts).order_by("-kind", "pk").values_list("region__code", "name")
    return {code: name for code, name in reversed(list(rows))}  # the first by kind wins: enforcement team before bureau


def export_rows(listed: list[Listed], *, now=None) -> list[dict]:
    """The rows of the export, keyed as ``EXPORT_COLUMNS``; the legal representative masked as for the public."""
    now = timezone.localtime(now or timezone.now())
    bureaus = _bureaus(r.region_code for item in listed for r in item.records)
    kind_labels = dict(CreditRecord._meta.get_field("kind").choices)
    rows = []
    for item in listed:
        reasons, dates, issuers = [], [], []
        for r in item.records:
            reasons.append(f"{kind_labels.get(r.kind, r.kind)} {r.weight:+d}：{r.reason}".strip())
            dates.append(r.occurred_on.isoformat())
            issuer = r.department or bureaus.get((r.region_code or "")[:6], "")
            if issuer and issuer not in issuers:
                issuers.append(issuer)
        rows.append({
            "uscc": item.entity.uscc, "name": item.entity.name,
            "legal_representative": mask_name(item.entity.legal_representative, Clearance.PUBLIC),
            "grade": item.grade.grade if item.grade else "", "score": item.grade.score if item.grade else "",
            "criteria": "；".join(str(criterion_label(c)) for c in item.criteria), "reasons": "；".join(reasons),
            "record_dates": "；".join(dates), "issuing_bureau": "；".join(issuers),
            "ruleset_version": item.grade.ruleset.version if item.grade else "", "exported_at": now.isoformat(timespec="seconds"),
        })
    return rows
