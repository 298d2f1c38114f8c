"""Staff pages of evaluation: the units' scorecards, one unit's scorecard with its drill-downs, schemes and rankings."""
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.accounts.decorators import staff_required
from apps.evaluation import drilldown, selectors, services
from apps.evaluation.figures import FIGURES
from apps.evaluation.periods import KINDS, Period, parse_period
from apps.gbcp.errors import ApplicationError, NotFound

PAGE_SIZE = 25
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UNIT_KINDS = [("district", gettext_lazy("district bureaus")), ("street", gettext_lazy("street squads")), ("department", gettext_lazy("functional departments")), ("", gettext_lazy("all"))]


def _judge_only(request):
    if not selectors.may_judge(request.user):
        raise PermissionDenied


def _period(request, default_kind="month"):
    try:
        return parse_period(request.GET, default_kind=default_kind)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return parse_period({}, default_kind=default_kind)


def _unit(request, pk):
    try:
        return selectors.unit_get_for_user(user=request.user, id=pk)
    except NotFound:
        raise Http404 from None


def _xlsx(content, name):
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


def _chart_labels():
    return {"response_rate": _("Response rate"), "solution_rate": _("Solution rate"), "satisfaction_rate": _("Satisfaction rate"), "score": _("Score")}


def _period_context(request, period):
    return {"chart_labels": _chart_labels(), "period": period, "kinds": [k for k in KINDS if k != "range"], "kind": request.GET.get("period", ""),
            "at": request.GET.get("at", ""), "query": period.query()}


def _chart_rows(cards):
    return [{"name": c.unit.short_name or c.unit.name, "values": {k: c.figures[k].value for k in ("response_rate", "solution_rate", "satisfaction_rate")}}
            for c in cards]


@staff_required
def home(request):
    """The units the viewer judges, with their scorecards from the rollup (a ranking table and bars); other staff
    go to the published rankings."""
    if not selectors.may_judge(request.user):
        return redirect("evaluation-schemes")
    period = _period(request)
    kind = request.GET.get("kind", selectors.default_unit_kind(request.user))
    units = selectors.unit_list_for_user(user=request.user, kind=kind or None, q=request.GET.get("q") or None)
    page = Paginator(units, 50).get_page(request.GET.get("page"))
    cards = services.scorecards_from_rollup(units=list(page.object_list), period=period)
    if request.GET.get("format") == "xlsx":
        every = services.scorecards_from_rollup(units=units, period=period)
        return _xlsx(services.scorecards_xlsx(cards=every, title=_("Scorecards %(period)s") % {"period": period.label()}), f"scorecards-{period.first}-{period.last}")
    return render(request, "evaluation/home.html", {
        **_period_context(request, period), "cards": cards, "page": page, "unit_kinds": UNIT_KINDS, "unit_kind": kind,
        "q": request.GET.get("q", ""), "run": selectors.last_rollup_run(), "chart": _chart_rows(cards), "schemes": selectors.scheme_list_for_user(user=request.user)[:5],
    })


@staff_required
def unit_detail(request, pk):
    """One unit's scorecard, computed from its tasks; every count links to its list."""
    _judge_only(request)
    unit = _unit(request, pk)
    period = _period(request)
    card = services.scorecard_live(unit=unit, period=period)
    if request.GET.get("format") == "xlsx":
        return _xlsx(services.scorecards_xlsx(cards=[card], title=f"{unit.name} {period.label()}"), f"scorecard-{unit.pk}-{period.first}-{period.last}")
    history = Period(period.last.replace(day=1) - timedelta(days=330), period.last)
    history = Period(history.first.replace(day=1), history.last)
    children = selectors.unit_list_for_user(user=request.user).filter(parent=unit)
    return render(request, "evaluation/unit.html", {
        **_period_context(request, period), "unit": unit, "card": card, "figures": FIGURES,
        "series": services.unit_series(unit=unit, period=history, step="month"), "history": history,
        "children": services.scorecards_from_rollup(units=children, period=period), "run": selectors.last_rollup_run(), "demo_mode": settings.DEMO_MODE,
    })


@staff_required
def unit_drill(request, pk):
    """The list behind one number of a scorecard: tasks, summonses or cases."""
    _judge_only(request)
    unit = _unit(request, pk)
    period = _period(request)
    figure = request.GET.get("figure", "T")
    family = drilldown.family(figure)
    if family is None:
        raise Http404
    qs = {"tasks": drilldown.task_list, "summonses": drilldown.summons_list, "cases": drilldown.case_list}[family](unit=unit, period=period, figure=figure)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "evaluation/drill.html", {
        **_period_context(request, period), "unit": unit, "figure": figure, "figure_label": drilldown.FIGURE_LABELS[figure],
        "family": family, "page": page, "rows": list(page.object_list),
    })


@staff_required
def scheme_list(request):
    schemes = selectors.scheme_list_for_user(user=request.user)
    page = Paginator(schemes, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "evaluation/schemes.html", {"page": page, "schemes": list(page.object_list)})


@staff_required
def scheme_detail(request, pk):
    try:
        scheme = selectors.scheme_get_for_user(user=request.user, id=pk)
    except NotFound:
        raise Http404 from None
    ranking = services.scheme_ranking(scheme=scheme)
    if request.GET.get("format") == "xlsx":
        return _xlsx(services.rankings_xlsx(scheme=scheme, ranking=ranking), f"ranking-{scheme.pk}")
    chart = [{"name": r.unit.short_name or r.unit.name, "score": None if r.score is None else round(r.score, 1)} for r in ranking]
    return render(request, "evaluation/scheme.html", {
        "chart_labels": _chart_labels(), "scheme": scheme, "ranking": ranking, "indicators": list(scheme.indicators.all()), "chart": chart,
        "may_publish": selectors.may_publish(user=request.user, scheme=scheme), "run": selectors.last_rollup_run(), "now": timezone.now(),
    })


@staff_required
@require_POST
def scheme_publish(request, pk):
    try:
        scheme = selectors.scheme_get_for_user(user=request.user, id=pk)
    except NotFound:
        raise Http404 from None
    try:
        services.scheme_publish(user=request.user, scheme=scheme, published=request.POST.get("published") != "0")
        messages.success(request, _("Saved."))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("evaluation-scheme", pk=scheme.pk)
