"""Writes of analytics: backtest results (its only table), and the XLSX of each figure."""
from dataclasses import replace
from io import BytesIO

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from apps.analytics import forecast, selectors
from apps.analytics.filters import parse_filters
from apps.analytics.models import Backtest
from apps.gbcp import spreadsheet
from apps.gbcp.jurisdiction import EVERYTHING


class CityWide:
    """The whole city as a viewer, for commands and beat jobs only (never built from a request)."""

    is_authenticated = True
    is_superuser = True
    is_active = True
    pk = id = None

    def jurisdiction_prefixes(self):
        return EVERYTHING

    def _memberships(self):
        return []


def backtest_series(*, filters, user=None) -> list[str]:
    """The series a backtest covers: the total, every district, the top categories of the history."""
    user = user or CityWide()
    found = ["total"] + [f"district:{code}" for code in selectors.districts_for_user(user=user).values_list("code", flat=True)]
    return found + [f"category:{code}" for code in selectors.top_categories(user=user, filters=filters)]


def backtests_run(*, filters, weeks=None, user=None, store=True) -> list[dict]:
    """Backtest every series; store one ``Backtest`` row each (when ``store``)."""
    user = user or CityWide()
    demo = selectors.is_demo(user=user, filters=filters)
    results = []
    for series in backtest_series(filters=filters, user=user):
        days, y = forecast.history(user=user, filters=filters, series=series)
        found = forecast.backtest(days, y, weeks=weeks)
        if found is None:
            continue
        results.append({"series": series, **found})
        if store:
            with transaction.atomic():
                Backtest.objects.create(series=series, weeks=found["weeks"], last_day=filters.last, demo=demo,
                                        model_mae=found["model"]["mae"], model_mape=found["model"]["mape"],
                                        naive_mae=found["naive"]["mae"], naive_mape=found["naive"]["mape"])
    return results


def _book(title, header, rows, note) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = str(title)[:31]
    ws.append(spreadsheet.row([str(title), note]))
    ws.append([str(h) for h in header])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(spreadsheet.row(row))
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def figure_xlsx(*, figure: str, data: dict, demo: bool) -> bytes:
    """One figure's numbers as a workbook (cells through apps.gbcp.spreadsheet: no formula injection)."""
    f = data["filters"]
    note = f"{f['from']} – {f['to']} {f['region']} {f['category']} {f['source']}".strip() + (" · " + _("Demo data are generated") if demo else "")
    if figure == "peak-times":
        rows = [[label, days, *counts] for label, days, counts in zip(data["rows"], data["days"], data["counts"])]
        return _book(_("Peak times"), [_("day"), _("days in period"), *[f"{h:02d}:00" for h in data["hours"]]], rows, note)
    if figure == "hot-spots":
        rows = [[g["code"], g["name"], g["count"], g["z"], g["p"], g["p_fdr"], g["class"]] for g in data["grids"]]
        return _book(_("Hot spots"), [_("grid code"), _("grid"), _("reports"), "z (Gi*)", "p", "p (BH)", _("class")], rows, note)
    if figure == "growth":
        rows = [[r["category"]["code"], r["category"]["name"], r["count"], r["baseline_mean"], r["ratio"], r["p"], r["p_fdr"], r["growing"]]
                for r in data["results"]]
        return _book(_("Growing problems"), [_("category code"), _("category"), _("reports"), _("baseline mean"), _("ratio"), "p", "p (BH)", _("growing")], rows, note)
    rows = [[r["day"], None, r["mean"], r["low"], r["high"], r["naive"]] for r in data["forecast"]]
    rows = [[h["day"], h["count"], None, None, None, None] for h in data["history"]] + rows
    return _book(_("Forecast"), [_("day"), _("reports"), _("forecast"), _("80% low"), _("80% high"), _("seasonal naive")], rows, note)


def monthly_report_make(*, month, region: str = "", user=None):
    """Draw the month's PDF and store it as a ``MonthlyReport`` (one row per month and region; a rerun replaces it)."""
    from django.core.files.base import ContentFile  # reason: only this writer stores files

    from apps.analytics import report  # reason: reportlab is loaded only when a report is drawn
    from apps.analytics.models import MonthlyReport  # reason: kept beside the report writer

    user = user or CityWide()
    data = report.gather(user=user, month=month, region=region)
    pdf = report.render_pdf(data)
    with transaction.atomic():
        MonthlyReport.objects.filter(month=data["first"], region_code=region).delete()
        found = MonthlyReport(month=data["first"], region_code=region, total=data["total"], demo=data["demo"])
        found.file.save(f"analysis-{data['first']:%Y-%m}{('-' + region) if region else ''}.pdf", ContentFile(pdf), save=False)
        found.save()
    return found


def hot_spots_warm(*, filters=None) -> int:
    """Compute the hot-spot maps people open first (the default period, the city and each district) so that their
    first view reads the cache (hotspots.gi_star keeps a result under its counts and shapes). Returns the maps made."""
    from apps.analytics import hotspots  # reason: esda and libpysal load only where Gi* is computed

    filters = filters or parse_filters({})
    user = CityWide()
    made = 0
    for region in [""] + list(selectors.districts_for_user(user=user).values_list("code", flat=True)):
        hotspots.hot_spots(user=user, filters=replace(filters, region=region))
        made += 1
    return made
