"""Entities and places from other departments' files: keyed (USCC; city code or the department's own id), codes
normalised before they are checked, GCJ-02 converted, lineage kept, a second import of the same facts unchanged,
a corrected file updating, and the importer's jurisdiction respected."""
import io

import pytest

from apps.gbcp.distance import metres_between
from apps.gbcp.models import Entity, Place
from apps.ledger import services
from apps.ledger.models import EntitySource, PlaceSource, SourceBatch
from tests.ledger.conftest import csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

ENTITY_HEADER = ["统一社会信用代码", "主体名称", "主体类型", "法定代表人", "联系电话", "住所", "所属区划代码"]
PLACE_HEADER = ["来源编号", "场所名称", "场所类型", "空间类型", "经度", "纬度", "坐标系", "地址", "经营主体统一社会信用代码"]
DONGCHENG_FIRM = "91110101567890120L"
DONGCHENG_SHOP = "92110101123456780D"
HAIDIAN_FIRM = "91110108987654320F"
# 东华门大街 in WGS-84, and the same point as a Chinese map app gives it (GCJ-02).
DHM_WGS = (116.4074, 39.9163)
DHM_GCJ = (116.4136437966571, 39.91770386498203)


def run(user, kind, header, rows, *, name="f.csv", department="东城区市场监督管理局", xlsx=False):
    data = xlsx_bytes(header, rows) if xlsx else csv_bytes(header, rows)
    return services.ledger_import(user=user, kind=kind, file=io.BytesIO(data), file_name=name, department=department)


def entities(user, rows=None, **kwargs):
    rows = rows or [
        [DONGCHENG_FIRM, "北京示例餐饮管理有限公司", "企业", "王示例", "010-65123456", "东华门大街1号", ""],
        ["92110101 123456780d", "示例便利店", "", "李示例", "13800138000", "王府井大街2号", ""],
    ]
    return run(user, "entities", ENTITY_HEADER, rows, **kwargs)


def test_entities_come_in_normalised_with_their_kind_region_and_lineage(insider):
    report = entities(insider)
    assert (report.created, report.failed) == (2, 0), report.as_dict()
    firm, shop = Entity.objects.get(uscc=DONGCHENG_FIRM), Entity.objects.get(uscc=DONGCHENG_SHOP)
    assert shop.kind == Entity.Kind.INDIVIDUAL_BUSINESS  # from the code's "92" when the file leaves the kind empty
    assert firm.region.code == "110101" and firm.legal_representative == "王示例" and firm.city_code
    source = EntitySource.objects.get(entity=shop)
    assert (source.source_batch.kind, source.source_row, source.source_department) == (SourceBatch.Kind.ENTITIES, 3, "东城区市场监督管理局")


def test_the_same_facts_again_are_unchanged_and_a_correction_updates_with_new_lineage(insider):
    entities(insider)
    again = entities(insider, rows=[[DONGCHENG_FIRM, "北京示例餐饮管理有限公司", "企业", "王示例", "010-65123456", "东华门大街1号", ""]], name="g.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    fixed = entities(insider, rows=[[DONGCHENG_FIRM, "北京示例餐饮管理有限公司", "企业", "赵示例", "010-65123456", "东华门大街1号", ""]], name="h.csv")
    assert fixed.updated == 1
    firm = Entity.objects.get(uscc=DONGCHENG_FIRM)
    assert firm.legal_representative == "赵示例"
    assert EntitySource.objects.get(entity=firm).source_batch.file_name == "h.csv"
    assert firm.history.count() >= 2  # who changed it and when stays in the history


def test_an_entity_outside_the_importers_district_is_refused_row_by_row(insider):
    report = entities(insider, rows=[[HAIDIAN_FIRM, "海淀示例公司", "企业", "", "", "", ""],
                                     [DONGCHENG_FIRM, "北京示例餐饮管理有限公司", "企业", "", "", "", ""]])
    assert report.created == 1 and [e.code for e in report.errors] == ["outside_jurisdiction"]
    assert not Entity.objects.filter(uscc=HAIDIAN_FIRM).exists()


def places(user, rows, **kwargs):
    return run(user, "places", PLACE_HEADER, rows, **kwargs)


def test_places_come_in_at_their_wgs84_point_whichever_system_the_file_used(insider):
    entities(insider)
    report = places(insider, [
        ["SCJG-0001", "示例餐馆", "餐饮", "", f"{DHM_WGS[0]}", f"{DHM_WGS[1]}", "WGS-84", "东华门大街1号", DONGCHENG_FIRM],
        ["SCJG-0002", "示例便利店", "商店", "", f"{DHM_GCJ[0]}", f"{DHM_GCJ[1]}", "GCJ-02", "东华门大街5号", "92110101 123456780D"],
    ], xlsx=True, name="p.xlsx")
    assert (report.created, report.failed) == (2, 0), report.as_dict()
    restaurant = Place.objects.get(ledger_sources__external_id="SCJG-0001")
    shop = Place.objects.get(ledger_sources__external_id="SCJG-0002")
    assert restaurant.kind == Place.Kind.RESTAURANT and restaurant.space == Place.Space.PRODUCTION
    assert restaurant.operator.uscc == DONGCHENG_FIRM and shop.operator.uscc == DONGCHENG_SHOP
    assert metres_between(shop.point, restaurant.point) < 1.0  # the GCJ-02 point was converted back
    assert restaurant.region.code.startswith("110101") and restaurant.city_code.startswith("110101P")
    assert PlaceSource.objects.get(place=shop).source_row == 3
    # Another department's list names the same place by its city code and its own id: one place, two lineages.
    run(insider, "places", ["城市码", "来源编号", "场所名称", "场所类型"], [[shop.city_code, "WSJ-77", "示例便利店", "商店"]], department="东城区卫生健康委员会")
    assert set(PlaceSource.objects.filter(place=shop).values_list("department", "external_id")) == {
        ("东城区市场监督管理局", "SCJG-0002"), ("东城区卫生健康委员会", "WSJ-77")}


def test_a_place_is_found_again_by_the_departments_id_or_by_its_city_code(insider):
    entities(insider)
    row = ["SCJG-0001", "示例餐馆", "餐饮", "", f"{DHM_WGS[0]}", f"{DHM_WGS[1]}", "", "东华门大街1号", DONGCHENG_FIRM]
    places(insider, [row])
    assert places(insider, [row], name="again.csv").unchanged == 1
    moved = places(insider, [["SCJG-0001", "示例餐馆（新址）", "餐饮", "", "116.4080", "39.9160", "", "东华门大街9号", ""]], name="moved.csv")
    assert moved.updated == 1
    place = Place.objects.get(ledger_sources__external_id="SCJG-0001")
    assert place.name == "示例餐馆（新址）" and abs(place.point.x - 116.4080) < 1e-9 and place.operator.uscc == DONGCHENG_FIRM
    by_code = run(insider, "places", ["城市码", "场所名称", "场所类型"], [[place.city_code, "示例餐馆（改名）", "餐饮"]], name="code.csv")
    assert by_code.updated == 1 and Place.objects.get(pk=place.pk).name == "示例餐馆（改名）"
    assert Place.objects.filter(ledger_sources__external_id="SCJG-0001").count() == 1


def test_bad_place_rows_are_reported_and_good_ones_kept(insider, outsider):
    report = places(insider, [
        ["A-1", "坐标系不明", "商店", "", "116.41", "39.91", "BD-09", "", ""],
        ["A-2", "城外", "商店", "", "121.47", "31.23", "", "", ""],
        ["", "没有编号", "商店", "", "116.41", "39.91", "", "", ""],
        ["A-4", "类型不明", "游乐场", "", "116.41", "39.91", "", "", ""],
        ["A-5", "经营者不明", "商店", "", "116.41", "39.91", "", "", HAIDIAN_FIRM],
        ["A-6", "海淀的场所", "商店", "", "116.3100", "39.9900", "", "", ""],
        ["A-7", "好的场所", "公园", "", "116.4100", "39.9200", "", "", ""],
    ])
    assert {e.row: e.code for e in report.errors} == {
        2: "unknown_crs", 3: "outside_city", 4: "missing_key", 5: "unknown_kind", 6: "unknown_holder", 7: "outside_jurisdiction",
    }
    assert report.created == 1 and Place.objects.get(ledger_sources__external_id="A-7").space == Place.Space.PUBLIC
    # Another district's importer cannot change a 东城 place through its own file.
    code = Place.objects.get(ledger_sources__external_id="A-7").city_code
    theirs = run(outsider, "places", ["城市码", "场所名称", "场所类型"], [[code, "改名", "公园"]], department="海淀区园林绿化局")
    assert [e.code for e in theirs.errors] == ["outside_jurisdiction"]
