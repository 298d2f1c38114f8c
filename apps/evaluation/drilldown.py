"""The lists behind every number (docs/EVALUATION.md §6): the cohort with the figure's condition, read through
dispatch's and cases' selectors."""
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.cases import selectors as case_selectors
from apps.dispatch import selectors as dispatch_selectors
from apps.evaluation import selectors
from apps.evaluation.figures import BASIC, DISSATISFIED, SATISFIED, STATUS_CLOSED, STATUS_NEW

_D = ~Q(status=STATUS_NEW)
_C = _D & Q(status=STATUS_CLOSED)

TASK_FIGURES = {
    "T": (_("received"), Q()),
    "D": (_("reached the unit"), _D),
    "A": (_("accepted"), _D & Q(accepted_at__isnull=False)),
    "not_A": (_("not accepted"), _D & Q(accepted_at__isnull=True)),
    "C": (_("closed"), _C),
    "S": (_("closed as solved"), _C & Q(solved=True)),
    "not_S": (_("not solved"), _D & ~(Q(status=STATUS_CLOSED) & Q(solved=True))),
    "R": (_("rated"), _D & Q(ev_rating__isnull=False)),
    "satisfied": (_("satisfied"), _D & Q(ev_rating=SATISFIED)),
    "basic": (_("basically satisfied"), _D & Q(ev_rating=BASIC)),
    "dissatisfied": (_("dissatisfied"), _D & Q(ev_rating=DISSATISFIED)),
    "U": (_("closed, unrated"), _C & Q(ev_rating__isnull=True)),
    "F": (_("routed right first time"), _D & Q(ev_rerouted=False)),
    "not_F": (_("returned or referred"), _D & Q(ev_rerouted=True)),
    "K": (_("sent back for 重办"), _D & Q(ev_reopened=True)),
}
SUMMONS_FIGURES = {
    "W": _("summonses"), "W_on": _("reported in on time"), "W_late": _("reported in late"),
    "W_miss": _("never reported in"), "W_wait": _("still open"),
}
CASE_FIGURES = {"V": _("cases reviewed"), "V_r": _("returned by legal review"), "V_c": _("decision changed on review"),
                "V_o": _("decision overturned on review or litigation")}
FIGURE_LABELS = {**{k: v[0] for k, v in TASK_FIGURES.items()}, **SUMMONS_FIGURES, **CASE_FIGURES}


def family(figure: str) -> str | None:
    if figure in TASK_FIGURES:
        return "tasks"
    if figure in SUMMONS_FIGURES:
        return "summonses"
    if figure in CASE_FIGURES:
        return "cases"
    return None


def task_list(*, unit, period, figure):
    ids = selectors.descendants(unit.pk)
    return dispatch_selectors.evaluation_task_list(organization_ids=ids, start=period.start, end=period.end).filter(TASK_FIGURES[figure][1])


def summons_list(*, unit, period, figure):
    ids = selectors.descendants(unit.pk)
    qs = dispatch_selectors.evaluation_summons_list(organization_ids=ids, start=period.start, end=period.end)
    now = timezone.now()
    conditions = {
        "W": Q(), "W_on": Q(reported_at__isnull=False, late_minutes=0), "W_late": Q(late_minutes__gt=0),
        "W_miss": Q(reported_at__isnull=True, due_at__lt=now), "W_wait": Q(reported_at__isnull=True, due_at__gte=now),
    }
    return qs.filter(conditions[figure])


def case_list(*, unit, period, figure):
    rows = case_selectors.evaluation_case_quality_rows(organization_ids=selectors.descendants(unit.pk), start=period.start, end=period.end)
    keep = {"V": lambda r: True, "V_r": lambda r: r["legal_returns"] > 0, "V_c": lambda r: r["changed"], "V_o": lambda r: r["overturned"]}[figure]
    return case_selectors.evaluation_case_list(ids=[r["id"] for r in rows if keep(r)])
