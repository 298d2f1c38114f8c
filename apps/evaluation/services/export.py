"""XLSX exports of scorecards and rankings (openpyxl): the numbers as numbers, rates as fractions formatted as percent."""
from io import BytesIO

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from apps.evaluation.figures import FIGURES, RATE_FIGURES
from apps.gbcp import spreadsheet

COUNT_COLUMNS = [
    ("received", gettext_lazy("received")), ("reached", gettext_lazy("reached the unit")), ("accepted", gettext_lazy("accepted")), ("closed", gettext_lazy("closed")),
    ("solved", gettext_lazy("solved")), ("rated", gettext_lazy("rated")), ("unrated", gettext_lazy("closed, unrated")), ("first_time_right", gettext_lazy("routed right first time")),
    ("reopened", gettext_lazy("sent back for 重办")), ("summons", gettext_lazy("summonses")), ("summons_late_minutes", gettext_lazy("minutes late")),
]


def _cell_value(ratio):
    return ratio.value  # None stays an empty cell: "—" is not a number


def _header(ws, titles):
    ws.append([str(t) for t in titles])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)


def _figure_cells(ws, card, keys):
    row = ws.max_row
    for offset, key in enumerate(keys):
        cell = ws.cell(row=row, column=ws.max_column - len(keys) + 1 + offset)
        if key in RATE_FIGURES:
            cell.number_format = "0.0%"
    return row


def _save(wb) -> bytes:
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def scorecards_xlsx(*, cards, title) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _("Scorecards")[:31]
    keys = list(FIGURES)
    ws.append([str(title)])
    _header(ws, [_("unit"), _("region code"), _("from"), _("to"), *[label for _k, label in COUNT_COLUMNS], *[FIGURES[k] for k in keys]])
    for card in cards:
        counts = {**card.tally.as_dict(), "unrated": card.tally.unrated}
        ws.append(spreadsheet.row([card.unit.name, card.unit.region.code, card.period.first, card.period.last, *[counts[k] for k, _l in COUNT_COLUMNS],
                   *[_cell_value(card.figures[k]) for k in keys]]))
        _figure_cells(ws, card, keys)
    return _save(wb)


def rankings_xlsx(*, scheme, ranking) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _("Ranking")[:31]
    indicators = list(scheme.indicators.all())
    ws.append([scheme.name, f"{scheme.period_start} – {scheme.period_end}", _("published") if scheme.published else _("draft")])
    _header(ws, [_("rank"), _("unit"), _("region code"), _("score"), *[f"{ind.get_figure_display()} ×{ind.weight}" for ind in indicators]])
    for row in ranking:
        ws.append(spreadsheet.row([row.rank, row.unit.name, row.unit.region.code, None if row.score is None else round(row.score, 2),
                   *[value for _ind, value, _a in row.values]]))
        for offset, ind in enumerate(indicators):
            if ind.figure in RATE_FIGURES:
                ws.cell(row=ws.max_row, column=5 + offset).number_format = "0.0%"
    return _save(wb)
