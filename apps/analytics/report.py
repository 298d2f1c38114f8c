"""The monthly analysis report (月度分析报告) drawn as a Chinese PDF with reportlab: intake per day (bar chart),
三高 summary, growing categories with their significance, forecast against the backtest, hot-spot count, and the
generated-history caveat. Charts are reportlab graphics (no matplotlib); the CJK font is the case documents' one.
"""
from datetime import date, timedelta
from io import BytesIO

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from apps.analytics import figures, hotspots, selectors
from apps.analytics.filters import parse_filters
from apps.analytics.models import Backtest
from apps.cases.pdf import register_font

CAVEAT = "说明：本报告所用历史数据为演示用生成数据，不代表真实情况。"
NO_DUTY = "勤务覆盖：待勤务模块提供覆盖率读取接口后列入。"  # TODO(lead): duty coverage needs a duty selector


def month_bounds(month: date) -> tuple[date, date]:
    first = month.replace(day=1)
    return first, (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def gather(*, user, month: date, region: str = "") -> dict:
    """The figures of one month: intake per day, 三高, growth, the latest backtest, the hot-spot count."""
    first, last = month_bounds(month)
    filters = parse_filters({"from": first.isoformat(), "to": last.isoformat(), "region": region})
    per_day = selectors.daily_counts(user=user, filters=filters, first=first, last=last, by="all")
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    peaks = figures.figure("peak-times", user=user, filters=filters)
    growth = figures.figure("growth", user=user, filters=filters)
    spots = figures.figure("hot-spots", user=user, filters=filters)
    return {
        "first": first, "last": last, "region": region, "days": days, "per_day": [per_day.get(("all", d), 0) for d in days],
        "total": peaks["total"], "peak": peaks["peak"], "growth": growth,
        "hot": sum(1 for g in spots["grids"] if g["class"] == hotspots.HOT),
        "backtest": Backtest.objects.filter(series="total").first(),
        "demo": peaks["demo"] or growth["demo"] or spots["demo"],
    }


def _chart(days, values, font):
    drawing = Drawing(170 * mm, 60 * mm)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 12 * mm, 10 * mm, 150 * mm, 45 * mm
    chart.data = [values or [0]]
    chart.categoryAxis.categoryNames = [str(d.day) for d in days]
    chart.categoryAxis.labels.fontName = chart.valueAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 6
    chart.valueAxis.valueMin = 0
    chart.bars[0].fillColor = colors.HexColor("#1d4e89")
    drawing.add(chart)
    return drawing


def render_pdf(data: dict) -> bytes:
    font = register_font()
    h1 = ParagraphStyle("h1", fontName=font, fontSize=16, leading=22)
    h2 = ParagraphStyle("h2", fontName=font, fontSize=12, leading=18, spaceBefore=6)
    body = ParagraphStyle("body", fontName=font, fontSize=10, leading=15)
    grid = TableStyle([("FONTNAME", (0, 0), (-1, -1), font), ("FONTSIZE", (0, 0), (-1, -1), 9),
                       ("GRID", (0, 0), (-1, -1), 0.4, colors.grey), ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef4"))])
    month = f"{data['first']:%Y年%m月}"
    story = [Paragraph(f"{month}城市管理分析报告{('（' + data['region'] + '）') if data['region'] else ''}", h1),
             Paragraph(f"统计期间：{data['first']:%Y-%m-%d} 至 {data['last']:%Y-%m-%d}", body)]
    if data["demo"]:
        story.append(Paragraph(CAVEAT, body))
    story += [Paragraph("一、受理总量与每日受理", h2), Paragraph(f"本月共受理 {data['total']} 件。", body),
              _chart(data["days"], data["per_day"], font)]
    peak = data["peak"]
    story += [Paragraph("二、三高分析摘要", h2), Table([
        ["项目", "结果"],
        ["高发时段", f"{peak['row']} {peak['hour']}:00（日均 {peak['per_day']} 件）" if peak else "无"],
        ["高发区域（显著热点网格数）", str(data["hot"])],
        ["高发问题（显著增长类别数）", str(sum(1 for r in data["growth"]["results"] if r["growing"]))],
    ], colWidths=[60 * mm, 100 * mm], style=grid)]
    rows = [["类别", "本月件数", "基线均值", "比值", "校正后 p", "显著增长"]]
    for r in data["growth"]["results"][:15]:
        rows.append([r["category"]["name"], r["count"], r["baseline_mean"], r["ratio"] if r["ratio"] is not None else "—",
                     f"{r['p_fdr']:.4f}", "是" if r["growing"] else "否"])
    story += [Paragraph("三、增长类别及显著性", h2), Table(rows, repeatRows=1, style=grid)]
    b = data["backtest"]
    story += [Paragraph("四、预测与回测误差", h2),
              Table([["模型 MAE", "季节朴素基线 MAE", "回测周数", "回测截止"], [f"{b.model_mae:.2f}", f"{b.naive_mae:.2f}", b.weeks, str(b.last_day)]]
                    if b else [["尚无回测结果（manage.py analytics_backtest）"]], style=grid),
              Paragraph("五、勤务覆盖", h2), Paragraph(NO_DUTY, body), Spacer(1, 4 * mm)]
    out = BytesIO()
    SimpleDocTemplate(out, pagesize=A4, title=f"{month}分析报告", leftMargin=18 * mm, rightMargin=18 * mm).build(story)
    return out.getvalue()
