"""The kinds of supervision rule (督办规则), their parameters with defaults and limits, and the check of a rule's
parameters and explanation template: one table the admin form, the model's ``clean`` and the engine read."""
import string
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class RuleKind(models.TextChoices):
    TASK_OVERDUE = "task_overdue", gettext_lazy("task overdue by N hours (任务超期)")
    COMPLAINT_CLUSTER = "complaint_cluster", gettext_lazy("K complaints at one place or grid within D days (重复投诉)")
    DISSATISFIED = "dissatisfied_rating", gettext_lazy("dissatisfied rating (不满意评价)")
    WHISTLE_LATE = "whistle_late", gettext_lazy("whistle department late or absent (吹哨未按时报到)")
    CASE_OVERDUE = "case_overdue", gettext_lazy("case past a statutory deadline (案件超法定期限)")
    TASK_RETURNED = "task_returned", gettext_lazy("task returned more than M times (多次退回)")


@dataclass(frozen=True)
class Param:
    """One parameter of a kind: an integer with a lower bound, or a choice (or several) from ``choices``."""

    name: str
    default: object
    minimum: int | None = None
    choices: tuple = ()
    many: bool = False
    help: str = ""

    def clean(self, value):
        if self.choices:
            values = value if self.many else [value]
            if self.many and not isinstance(value, list):
                raise ValidationError(_("%(name)s must be a list of %(choices)s.") % {"name": self.name, "choices": ", ".join(self.choices)})
            wrong = [v for v in values if v not in self.choices]
            if wrong or (self.many and not values):
                raise ValidationError(_("%(name)s must be one or more of %(choices)s, not %(value)s.") % {
                    "name": self.name, "choices": ", ".join(self.choices), "value": value})
            return list(dict.fromkeys(values)) if self.many else value
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError(_("%(name)s must be a whole number, not %(value)r.") % {"name": self.name, "value": value})
        if self.minimum is not None and value < self.minimum:
            raise ValidationError(_("%(name)s must be at least %(minimum)d.") % {"name": self.name, "minimum": self.minimum})
        return value


CASE_DEADLINES = ("decision", "service", "payment", "disclosure", "withdrawal", "cash_handin")  # the case's due fields; its disclosure's (art. 48); cash hand-in (art. 71)
RETURN_ACTIONS = ("return", "reject", "refer")  # task log actions that send the work back

PARAMETERS = {
    RuleKind.TASK_OVERDUE: (Param("hours", 24, minimum=0, help="hours past the task's deadline"),),
    RuleKind.COMPLAINT_CLUSTER: (
        Param("count", 3, minimum=2, help="K: complaints that make a cluster"),
        Param("days", 7, minimum=1, help="D: the window in days"),
        Param("scope", "place", choices=("place", "grid"), help="counted per place or per grid"),
    ),
    RuleKind.DISSATISFIED: (Param("days", 30, minimum=1, help="ratings given within the last D days"),),
    RuleKind.WHISTLE_LATE: (
        Param("minutes", 0, minimum=0, help="minutes late before it counts (a department that never reported counts once this is past)"),
        Param("days", 30, minimum=1, help="whistles blown within the last D days"),
    ),
    RuleKind.CASE_OVERDUE: (
        Param("deadlines", list(CASE_DEADLINES), choices=CASE_DEADLINES, many=True, help="which statutory deadlines"),
        Param("hours", 0, minimum=0, help="hours past the deadline"),
    ),
    RuleKind.TASK_RETURNED: (
        Param("times", 2, minimum=1, help="M: fires when returned more than M times"),
        Param("actions", ["return"], choices=RETURN_ACTIONS, many=True, help="which log actions count as a return"),
        Param("days", 90, minimum=1, help="tasks received within the last D days"),
    ),
}

# The measured values each kind offers to the explanation template, besides the rule's own parameters.
MEASURED = {
    RuleKind.TASK_OVERDUE: ("task", "deadline", "overdue_hours"),
    RuleKind.COMPLAINT_CLUSTER: ("where", "measured_count", "first", "last", "tasks"),
    RuleKind.DISSATISFIED: ("task", "comment", "rated_at"),
    RuleKind.WHISTLE_LATE: ("task", "department", "due_at", "late_minutes"),
    RuleKind.CASE_OVERDUE: ("case", "deadline", "due", "overdue_hours"),
    RuleKind.TASK_RETURNED: ("task", "returns"),
}

DEFAULT_TEMPLATES = {
    RuleKind.TASK_OVERDUE: "任务{task}已超过办理期限{overdue_hours}小时（期限{deadline}；规则：超期{hours}小时即督办）。",
    RuleKind.COMPLAINT_CLUSTER: "{where}在{days}日内收到{measured_count}件投诉（{first}至{last}；规则：{days}日内{count}件及以上即督办）：{tasks}。",
    RuleKind.DISSATISFIED: "任务{task}的评价为不满意（{rated_at}）：{comment}",
    RuleKind.WHISTLE_LATE: "{department}未按时报到（任务{task}，应于{due_at}前报到，{late_minutes}；规则：迟到{minutes}分钟以上即督办）。",
    RuleKind.CASE_OVERDUE: "案件{case}已超过{deadline}（{due}），超期{overdue_hours}小时（规则：超期{hours}小时即督办）。",
    RuleKind.TASK_RETURNED: "任务{task}已被退回{returns}次（规则：超过{times}次即督办）。",
}


def defaults(kind) -> dict:
    return {p.name: p.default for p in PARAMETERS[kind]}


def clean_parameters(kind, parameters) -> dict:
    """The parameters of a rule of ``kind`` with defaults filled in; a ``ValidationError`` per wrong or unknown key."""
    if kind not in PARAMETERS:
        raise ValidationError({"kind": _("Unknown rule kind %(kind)s.") % {"kind": kind}})
    if parameters in (None, ""):
        parameters = {}
    if not isinstance(parameters, dict):
        raise ValidationError({"parameters": _("The parameters must be a JSON object, e.g. %(example)s.") % {"example": defaults(kind)}})
    known = {p.name: p for p in PARAMETERS[kind]}
    errors = []
    unknown = sorted(set(parameters) - set(known))
    if unknown:
        errors.append(_("Unknown parameters for this kind: %(names)s (known: %(known)s).") % {
            "names": ", ".join(unknown), "known": ", ".join(known)})
    cleaned = {}
    for name, param in known.items():
        try:
            cleaned[name] = param.clean(parameters.get(name, param.default))
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError({"parameters": errors})
    return cleaned


def clean_template(kind, template: str) -> str:
    """The explanation template may name the rule's parameters and the kind's measured values, nothing else."""
    allowed = {p.name for p in PARAMETERS[kind]} | set(MEASURED[kind])
    try:
        names = {field for _text, field, _spec, _conv in string.Formatter().parse(template or "") if field is not None}
    except ValueError as exc:
        raise ValidationError({"explanation": _("The template is malformed: %(error)s.") % {"error": exc}})
    wrong = sorted(n for n in names if n not in allowed)
    if wrong:
        raise ValidationError({"explanation": _("Unknown placeholders %(names)s; allowed: %(allowed)s.") % {
            "names": ", ".join("{%s}" % n for n in wrong), "allowed": ", ".join("{%s}" % n for n in sorted(allowed))}})
    return template


def explain(kind, template: str, parameters: dict, measured: dict) -> str:
    """The sentence that says why a rule fired: its template filled with the parameters and measured values."""
    values = {**parameters, **{k: v for k, v in measured.items() if k in MEASURED[kind]}}
    try:
        return (template or DEFAULT_TEMPLATES[kind]).format_map(_Blank(values))
    except (ValueError, IndexError):
        return DEFAULT_TEMPLATES[kind].format_map(_Blank(values))


class _Blank(dict):
    def __missing__(self, key):
        return "—"


# Names shown on the item page for the parameters and measured values (never the raw keys).
LABELS = {
    "hours": gettext_lazy("hours past the deadline"), "count": gettext_lazy("complaints that make a cluster (K)"),
    "days": gettext_lazy("window (days)"), "scope": gettext_lazy("counted per"), "minutes": gettext_lazy("minutes late allowed"),
    "deadlines": gettext_lazy("statutory deadlines"), "times": gettext_lazy("returns allowed (M)"),
    "actions": gettext_lazy("counted as a return"), "task": gettext_lazy("task"), "deadline": gettext_lazy("deadline"),
    "overdue_hours": gettext_lazy("hours overdue"), "where": gettext_lazy("where"), "measured_count": gettext_lazy("complaints counted"),
    "first": gettext_lazy("first complaint"), "last": gettext_lazy("last complaint"), "tasks": gettext_lazy("tasks"),
    "comment": gettext_lazy("comment"), "rated_at": gettext_lazy("rated at"), "department": gettext_lazy("department"),
    "due_at": gettext_lazy("report in by"), "late_minutes": gettext_lazy("lateness"), "case": gettext_lazy("case"),
    "due": gettext_lazy("due"), "returns": gettext_lazy("returns counted"),
}
VALUE_LABELS = {
    "place": gettext_lazy("place"), "grid": gettext_lazy("grid"), "decision": gettext_lazy("decision (90 days from filing)"),
    "service": gettext_lazy("service (7 days from the decision)"), "payment": gettext_lazy("payment (15 days from service)"),
    "disclosure": gettext_lazy("publication (7 working days from the decision)"),
    "withdrawal": gettext_lazy("withdrawal of a corrected decision's publication (3 working days)"),
    "return": gettext_lazy("returned by the squad"), "reject": gettext_lazy("rejected on verification"), "refer": gettext_lazy("referred"),
}


def _shown(value) -> str:
    if isinstance(value, list):
        return "、".join(_shown(v) for v in value)
    return str(VALUE_LABELS.get(value, value)) if isinstance(value, str) else str(value)


def describe(values: dict) -> list[tuple[str, str]]:
    """``[(label, value)]`` of the known keys, for people: labels translated, coded values named."""
    return [(str(LABELS[key]), _shown(value)) for key, value in (values or {}).items() if key in LABELS]
