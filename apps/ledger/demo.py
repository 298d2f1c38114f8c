"""Demo of the ledger: licences, frontage zones and key points of the demo places, brought in through the
importer from generated files (so they carry lineage), and a first comparison run.

Files are generated deterministically from the places, so a second run imports identical files: the
importer recognises them by SHA-256 and nothing changes.
"""
import csv
import datetime as dt
import hashlib
import io
import random

from django.contrib.gis.geos import Point
from django.utils import timezone

from apps.gbcp.models import Place
from apps.ledger import services
from apps.ledger.models import ComparisonRun, FrontageZone, SourceBatch

DEMO_FOOD_DEPARTMENT = "市场监督管理局"
MAX_ROWS = 400  # enough to show; keeps the full-size demo fast


def _csv(header, rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _district_name(place):
    region = place.region
    while region.parent_id and region.level > 2:
        region = region.parent
    return region.name


def licence_rows(places, rng):
    """Restaurants: most have a food licence, some expired (still marked active), every fourth has none."""
    rows = []
    restaurants = 0  # counted apart, so that however few the demo city has, one lacks a licence and one has expired
    for n, place in enumerate(places):
        holder = place.operator.uscc if place.operator else ""
        department = f"{_district_name(place)}{DEMO_FOOD_DEPARTMENT}"
        where = [place.city_code, "", ""]
        if n % 7 == 3:  # some rows locate the place by coordinates instead of its code
            where = ["", f"{place.point.x:.7f}", f"{place.point.y:.7f}"]
        seq = f"{place.pk:06d}"
        if place.kind == Place.Kind.RESTAURANT:
            restaurants += 1
            if restaurants % 4 != 1:
                valid_to = "2025-06-30" if restaurants % 5 == 2 else "2029-12-31"
                rows.append(["食品经营许可证", f"JY1{place.city_code[:6]}{seq}", holder, *where, department, "2021-07-01", valid_to, ""])
        elif place.kind == Place.Kind.CONSTRUCTION_SITE:
            rows.append(["建筑工程施工许可证", f"SG{place.city_code[:6]}{seq}", holder, *where, f"{_district_name(place)}住房和城乡建设委员会",
                         "2025-03-01", "2027-03-01", ""])
            if rng.random() < 0.5:
                rows.append(["夜间施工许可", f"YJ{place.city_code[:6]}{seq}", holder, *where, f"{_district_name(place)}住房和城乡建设委员会",
                             "2025-11-01", "2025-11-15", "有效"])
        elif place.kind == Place.Kind.BILLBOARD:
            rows.append(["户外广告设置许可", f"GG{place.city_code[:6]}{seq}", holder, *where, f"{_district_name(place)}城市管理委员会",
                         "2024-01-01", "2026-12-31", ""])
        if place.kind in {Place.Kind.SHOP, Place.Kind.RESTAURANT} and place.operator:
            rows.append(["营业执照", f"YYZZ{seq}", holder, *where, DEMO_FOOD_DEPARTMENT, "2020-01-01", "2040-12-31", ""])
    return rows


def zone_rows(places, rng):
    rows = []
    surnames = "王李张刘陈杨赵黄周吴"
    for place in places:
        if place.kind not in {Place.Kind.SHOP, Place.Kind.RESTAURANT}:
            continue
        duties = "市容、环境卫生、秩序" if rng.random() < 0.7 else "市容、环境卫生"
        name = rng.choice(surnames) + ("先生" if rng.random() < 0.5 else "女士")
        phone = f"139{rng.randint(0, 99999999):08d}"
        rows.append([f"MQ{place.city_code}", place.city_code, "", "", duties, name, phone, ""])
    return rows


def _square_wkt(x, y, half_m):
    x0, y0, x1, y1 = services.square_around(Point(x, y, srid=4326), half_m).extent
    return f"POLYGON(({x0:.7f} {y0:.7f},{x1:.7f} {y0:.7f},{x1:.7f} {y1:.7f},{x0:.7f} {y1:.7f},{x0:.7f} {y0:.7f}))"


def key_point_rows(places, rng):
    rows = []
    markets = [p for p in places if p.kind in {Place.Kind.MARKET, Place.Kind.RESTAURANT}][:3]
    for n, place in enumerate(markets):
        rows.append([f"ZD-SQ-{n + 1:02d}", f"{place.name}周边重点商圈", "重点商圈，占道经营和店外经营高发", 3, "", "", "",
                     _square_wkt(place.point.x, place.point.y, 150), "2025-01-01", ""])
    others = [p for p in places if p.kind in {Place.Kind.PARK, Place.Kind.BUILDING}][:2]
    for n, place in enumerate(others):
        rows.append([f"ZD-XX-{n + 1:02d}", f"{place.name}学校周边", "学校周边，上下学时段无照经营", 1, "", "", "",
                     _square_wkt(place.point.x, place.point.y, 200), "2025-09-01", "2026-07-15"])
    for n, place in enumerate(p for p in places if p.kind == Place.Kind.CONSTRUCTION_SITE):
        if n >= 5:
            break
        rows.append([f"ZD-GD-{n + 1:02d}", f"{place.name}", "在建工地，渣土和夜间施工扰民", 7, place.city_code, "", "", "", "", ""])
    return rows


def seed(ctx):
    ctx.say("Ledger: licences, frontage zones and key points through the importer; a comparison run")
    rng = random.Random(20261121)
    places = list(Place.objects.filter(is_active=True).select_related("region__parent__parent", "operator").order_by("id")[:MAX_ROWS])
    if not places:
        return
    files = [
        ("licences", "demo-licences.csv", DEMO_FOOD_DEPARTMENT,
         _csv(["证照类型", "证照编号", "持证主体统一社会信用代码", "城市码", "经度", "纬度", "发证部门", "有效期起", "有效期止", "状态"],
              licence_rows(places, rng))),
        ("zones", "demo-frontage-zones.csv", "街道办事处",
         _csv(["门前三包编号", "城市码", "经度", "纬度", "责任内容", "责任人", "联系电话", "责任单位统一社会信用代码"], zone_rows(places, rng))),
        ("key_points", "demo-key-points.csv", "城市管理委员会",
         _csv(["点位编号", "点位名称", "列管原因", "巡查间隔天数", "城市码", "经度", "纬度", "区域范围", "生效日期", "失效日期"],
              key_point_rows(places, rng))),
    ]
    for kind, name, department, content in files:
        if SourceBatch.objects.filter(kind=kind, file_sha256=hashlib.sha256(content).hexdigest()).exists():
            continue  # the importer would find every row unchanged; skipping keeps a re-run instant
        report = services.ledger_import(user=None, kind=kind, file=io.BytesIO(content), file_name=name, department=department)
        ctx.say(f"  {kind}: {report.created} created, {report.updated} updated, {report.unchanged} unchanged, {report.failed} failed")
    if not ComparisonRun.objects.exists():
        run = services.comparison_run(user=None)
        ctx.say(f"  comparison: {run.findings_new} findings")
    assess_last_month(rng)


def assess_last_month(rng, limit=12):
    """Last month's 门前三包 assessments of the first zones (generated demo results; credit follows each)."""
    month = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    for zone in FrontageZone.objects.filter(is_active=True).exclude(assessments__period=month).select_related("place__operator").order_by("code")[:limit]:
        results = {duty: ("failed" if rng.random() < 0.2 else "passed") for duty in services.zone_duties(zone)}
        services.frontage_assess(user=None, zone=zone, period=month, results=results, assessed_on=month + dt.timedelta(days=27),
                                 note="演示数据 demo")
