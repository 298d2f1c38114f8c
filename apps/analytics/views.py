"""The staff analysis page (/analytics/) and the XLSX of each figure."""
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from apps.accounts.decorators import staff_required
from apps.analytics import figures, forecast, hotspots, screen as screen_figures, selectors, services
from apps.analytics.filters import parse_filters
from apps.analytics.models import Backtest
from apps.gbcp.errors import ApplicationError
from apps.gbcp.files import send_file

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _allowed(request):
    if not selectors.may_analyse(request.user):
        raise PermissionDenied


def _filters(request):
    try:
        filters = parse_filters(request.GET)
        if filters.region:
            selectors.region_for_user(user=request.user, code=filters.region)
        series = request.GET.get("series") or "total"
        kind, code = forecast.parse_series(series)
        if kind == "district":
            selectors.region_for_user(user=request.user, code=code)
        return filters, series
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return parse_filters({}), "total"


def _chart_labels():
    return {"perDay": _("reports a day"), "history": _("reports"), "forecast": _("forecast"), "naive": _("seasonal naive"),
            "low": _("80% low"), "high": _("80% high"), "hot": _("hot spot"), "cold": _("cold spot"), "ns": _("not significant")}


@staff_required
def home(request):
    """Filters, the heat matrix, the hot-spot map, the growth table and the forecast beside its baseline."""
    _allowed(request)
    filters, series = _filters(request)
    data = {name: figures.figure(name, user=request.user, filters=filters, series=series) for name in figures.FIGURES}
    spots = data["hot-spots"]
    choices = selectors.filter_choices(user=request.user)
    series_choices = [("total", "")] + [(f"district:{c}", n) for c, n in choices["regions"]] + \
        [(f"category:{c}", c) for c in selectors.top_categories(user=request.user, filters=filters)]
    peaks = data["peak-times"]
    hot_rows = sorted((g for g in spots["grids"] if g["class"] in (hotspots.HOT, hotspots.COLD)), key=lambda g: -abs(g["z"]))[:30]
    filter_fields = [(k, v) for k, v in filters.as_dict().items() if v]
    return render(request, "analytics/home.html", {
        "filters": filters, "series": series, "choices": choices, "series_choices": series_choices,
        "peaks": data["peak-times"], "spots": figures.public(spots), "growth": data["growth"], "forecast": data["forecast"],
        "geojson": hotspots.as_geojson(spots), "demo": any(d["demo"] for d in data.values()) or False,
        "backtest": Backtest.objects.filter(series=series).first(), "tiles_url": settings.MAP_TILES_URL, "tiles_attribution": settings.MAP_TILES_ATTRIBUTION,
        "chart_data": {"peaks": peaks, "forecast": data["forecast"]}, "peak_rows": list(zip(peaks["rows"], peaks["counts"], peaks["days"])),
        "hot_rows": hot_rows, "filter_fields": filter_fields, "chart_labels": _chart_labels(),
    })


@staff_required
def export(request, figure):
    """One figure as XLSX, under the same filters as the page."""
    _allowed(request)
    if figure not in figures.FIGURES:
        raise Http404
    filters, series = _filters(request)
    data = figures.figure(figure, user=request.user, filters=filters, series=series)
    response = HttpResponse(services.figure_xlsx(figure=figure, data=data, demo=data["demo"]), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{figure}-{filters.first}-{filters.last}.xlsx"'
    return response


@staff_required
def screen(request):
    """The big screen (大屏) for the command centre: the shell; figures come from /api/analytics/screen/ and live
    tasks, units and alarms over /ws/map/ (the live map's socket)."""
    _allowed(request)
    return render(request, "analytics/screen.html", {
        "tiles_url": settings.MAP_TILES_URL, "tiles_attribution": settings.MAP_TILES_ATTRIBUTION,
        "refresh_s": max(30, getattr(settings, "ANALYTICS_SCREEN_CACHE_S", 30)), "scope": screen_figures.scope_key(request.user),
        "labels": {"today": _("today"), "average": _("same weekday, 4-week average"), "reports": _("reports"),
                   "live": _("live"), "offline": _("reconnecting…"), "noTiles": _("Base map unreachable: vector layers only"),
                   "demo": _("Demo data are generated"), "none": _("none")},
    })


@staff_required
def reports(request):
    """The monthly analysis reports (月度分析报告) of the viewer's jurisdiction."""
    _allowed(request)
    return render(request, "analytics/reports.html", {"reports": selectors.report_list_for_user(user=request.user)[:120]})


@staff_required
def report_download(request, pk):
    """One report's PDF; another jurisdiction's report answers 404 like a missing one."""
    _allowed(request)
    found = get_object_or_404(selectors.report_list_for_user(user=request.user), pk=pk)
    return send_file(request, found.file, content_type="application/pdf", inline=False,
                     download_name=f"analysis-{found.month:%Y-%m}{('-' + found.region_code) if found.region_code else ''}.pdf")
