"""Penalty discretion (裁量基准) and the pure money rules of the Administrative Penalty Law (2021):
the proposal from the case's facts, the time bar (art. 36), the simple-procedure limits (art. 51)
and the late fee (art. 72). No database writes here."""
import datetime as dt
from dataclasses import asdict, dataclass, field
from decimal import ROUND_DOWN, Decimal

from django.conf import settings
from django.utils import timezone

LEVEL_ORDER = ["slight", "ordinary", "serious"]
SIMPLE_LIMIT = {"citizen": Decimal("200"), "organisation": Decimal("3000")}
LATE_FEE_RATE = Decimal("0.03")
PAYMENT_DAYS = 15  # calendar days (art. 67); the 2/3/5/7-day limits are working days: apps.cases.lawdays
DECISION_DAYS = 90

MITIGATING = {
    "eliminated_consequences": "主动消除或者减轻违法行为危害后果",
    "coerced": "受他人胁迫或者诱骗实施违法行为",
    "confessed": "主动供述行政机关尚未掌握的违法行为",
    "cooperated": "配合行政机关查处违法行为有立功表现",
}
AGGRAVATING = {
    "refused_correction": "拒不改正或者逾期不改正",
    "obstructed": "阻碍、抗拒执法",
    "public_impact": "造成恶劣社会影响",
    "during_emergency": "在突发事件应对期间实施",
}


@dataclass
class Proposal:
    level: str
    amount: Decimal
    warning: bool
    exempt: bool
    reasons: list = field(default_factory=list)
    findings: list = field(default_factory=list)
    time_barred: bool = False

    def as_json(self) -> dict:
        data = asdict(self)
        data["amount"] = str(self.amount)
        return data


def _date(value):
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def time_bar(*, cause, facts: dict):
    """(barred, years): art. 36 — two years undiscovered; five when life, health or financial
    safety is concerned and there were harmful consequences. Counted from the violation's end."""
    violation = _date(facts.get("violation_date"))
    discovered = _date(facts.get("discovered_on")) or timezone.localdate()
    years = 5 if (getattr(cause, "serious_harm", False) and facts.get("consequences")) else 2
    if violation is None:
        return False, years
    return discovered > _add_years(violation, years), years


def _levels(cause) -> dict:
    return {lv.level: lv for lv in cause.levels.all()}


def _pick_level(levels: dict, wanted: str):
    if wanted in levels:
        return levels[wanted]
    index = LEVEL_ORDER.index(wanted)
    # The nearest defined level, preferring the milder one.
    for distance in range(1, len(LEVEL_ORDER)):
        for i in (index - distance, index + distance):
            if 0 <= i < len(LEVEL_ORDER) and LEVEL_ORDER[i] in levels:
                return levels[LEVEL_ORDER[i]]
    return None


def _round_yuan(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal("1"), rounding=ROUND_DOWN)


def propose_penalty(*, cause, facts: dict) -> Proposal:
    """The level and amount the discretion standard proposes for these facts, with the reasons."""
    facts = facts or {}
    harm = facts.get("harm") or "ordinary"
    first = bool(facts.get("first_offence"))
    corrected = bool(facts.get("corrected_promptly"))
    repeat = int(facts.get("repeat_count") or 0)
    mitigating = [m for m in facts.get("mitigating") or [] if m in MITIGATING]
    aggravating = [a for a in facts.get("aggravating") or [] if a in AGGRAVATING]
    reasons, findings = [], []

    barred, years = time_bar(cause=cause, facts=facts)
    if barred:
        text = (
            f"违法行为在{'五' if years == 5 else '二'}年内未被发现，依《行政处罚法》第三十六条第一款不再给予行政处罚"
        )
        findings.append(text)
        return Proposal(level="", amount=Decimal("0"), warning=False, exempt=True, reasons=[text], findings=findings, time_barred=True)

    if harm == "none" and corrected:
        text = "违法行为轻微并及时改正，没有造成危害后果，依《行政处罚法》第三十三条第一款不予行政处罚"
        return Proposal(level="slight", amount=Decimal("0"), warning=False, exempt=True, reasons=[text], findings=findings)
    if first and harm in ("none", "slight") and corrected and repeat == 0 and not aggravating:
        text = "首次违法、危害后果轻微并及时改正，依《行政处罚法》第三十三条第一款可以不予行政处罚"
        return Proposal(level="slight", amount=Decimal("0"), warning=False, exempt=True, reasons=[text], findings=findings)

    wanted = {"none": "slight", "slight": "slight", "ordinary": "ordinary", "serious": "serious"}.get(harm, "ordinary")
    reasons.append({"slight": "危害后果轻微", "ordinary": "危害后果一般", "serious": "危害后果严重"}[wanted] + f"，适用“{_level_zh(wanted)}”裁量阶次")
    if repeat >= 2 and wanted != "serious":
        wanted = LEVEL_ORDER[LEVEL_ORDER.index(wanted) + 1]
        reasons.append(f"一年内第{repeat + 1}次违法，裁量阶次提高为“{_level_zh(wanted)}”")
    elif repeat == 1:
        aggravating.append("repeat")
        reasons.append("曾因同类违法行为受过处罚，从重考虑")
    levels = _levels(cause)
    level = _pick_level(levels, wanted)
    if level is None:
        findings.append("该案由未设裁量基准，请法制机构补充")
        return Proposal(level=wanted, amount=Decimal("0"), warning=False, exempt=False, reasons=reasons, findings=findings)
    if level.level != wanted:
        reasons.append(f"该案由未设“{_level_zh(wanted)}”阶次，适用“{level.get_level_display()}”")

    for m in mitigating:
        reasons.append(f"{MITIGATING[m]}，依《行政处罚法》第三十二条应当从轻或者减轻处罚")
    for a in aggravating:
        if a in AGGRAVATING:
            reasons.append(f"{AGGRAVATING[a]}，从重处罚")
    if first and corrected and not mitigating:
        mitigating.append("first_corrected")
        reasons.append("初次违法并已改正，从轻处罚")

    if level.warning_allowed and level.level == "slight" and first and not aggravating:
        reasons.append("该阶次可以警告，初次违法且无从重情节，建议给予警告")
        return Proposal(level=level.level, amount=Decimal("0"), warning=True, exempt=False, reasons=reasons, findings=findings)

    low, high = Decimal(level.fine_min), Decimal(level.fine_max)
    if high <= 0:
        findings.append(f"该阶次罚款不是固定数额（{level.conditions or level.harm or '按造价等计算'}），请办案人员依法计算")
        return Proposal(level=level.level, amount=Decimal("0"), warning=False, exempt=False, reasons=reasons, findings=findings)
    if len(mitigating) > len(aggravating):
        amount = low
        reasons.append(f"从轻情节多于从重情节，按下限 {low} 元")
    elif len(aggravating) > len(mitigating):
        amount = high
        reasons.append(f"从重情节多于从轻情节，按上限 {high} 元")
    else:
        amount = _round_yuan((low + high) / 2)
        reasons.append(f"无从轻从重情节或二者相当，按幅度中间值 {amount} 元")
    return Proposal(level=level.level, amount=amount, warning=False, exempt=False, reasons=reasons, findings=findings)


def _level_zh(level: str) -> str:
    return {"slight": "轻微", "ordinary": "一般", "serious": "严重"}.get(level, level)


def fine_range(cause):
    """The lowest and highest fine of all the cause's levels (a departure must stay inside)."""
    levels = list(cause.levels.all())
    if not levels:
        return Decimal("0"), Decimal("0")
    return min(lv.fine_min for lv in levels), max(lv.fine_max for lv in levels)


def late_fee(*, fine, due_date, on_date) -> Decimal:
    """Art. 72: 3% of the fine for each day after the due date, never more than the fine."""
    fine = Decimal(fine)
    days = (_date(on_date) - _date(due_date)).days
    if days <= 0 or fine <= 0:
        return Decimal("0.00")
    return min((fine * LATE_FEE_RATE * days).quantize(Decimal("0.01")), fine)


def hearing_threshold(party_kind: str) -> Decimal:
    """Fines from which the party may ask for a hearing (art. 63 '较大数额'); to be confirmed by the legal office."""
    if party_kind == "organisation":
        return Decimal(str(getattr(settings, "CASES_HEARING_THRESHOLD_ORGANISATION", 100000)))
    return Decimal(str(getattr(settings, "CASES_HEARING_THRESHOLD_CITIZEN", 10000)))


def simple_limit(party_kind: str) -> Decimal:
    return SIMPLE_LIMIT["organisation" if party_kind == "organisation" else "citizen"]
