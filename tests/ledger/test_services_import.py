"""Imports: valid rows in, invalid rows reported with row and reason, identical files recognised, lineage kept."""
import io

import pytest
from django.utils import translation

from apps.gbcp.errors import ApplicationError
from apps.ledger import services
from apps.ledger.models import FrontageZone, KeyPoint, Licence, SourceBatch
from tests.ledger.conftest import csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

HEADER_ZH = ["证照类型", "证照编号", "持证主体统一社会信用代码", "城市码", "经度", "纬度", "发证部门", "有效期起", "有效期止"]
HEADER_EN = ["kind", "number", "holder_uscc", "place_code", "lon", "lat", "department", "valid_from", "valid_to"]


def _rows(place):
    uscc = place.operator.uscc
    bad_uscc = uscc[:17] + ("0" if uscc[17] != "0" else "1")
    bad_code = place.city_code[:-1] + ("0" if place.city_code[-1] != "0" else "1")
    return [
        ["食品经营许可证", "T-JY-0001", uscc, place.city_code, "", "", "东城区市场监督管理局", "2024-01-01", "2029-12-31"],
        ["营业执照", "T-YY-0001", uscc, "", f"{place.point.x:.7f}", f"{place.point.y:.7f}", "", "2020/01/01", "20401231"],
        ["食品经营许可证", "T-JY-0002", bad_uscc, place.city_code, "", "", "", "2024-01-01", "2029-12-31"],
        ["食品经营许可证", "T-JY-0003", uscc, bad_code, "", "", "", "2024-01-01", "2029-12-31"],
        ["食品经营许可证", "T-JY-0004", uscc, place.city_code, "", "", "", "2024-01-01", "not a date"],
        ["烟草专卖许可证", "T-JY-0005", uscc, place.city_code, "", "", "", "2024-01-01", "2029-12-31"],
        ["食品经营许可证", "T-JY-0006", uscc, "", "0.5", "0.5", "", "2024-01-01", "2029-12-31"],
    ]


def test_a_csv_with_good_and_bad_rows_imports_the_good_and_reports_the_bad(dongcheng_restaurant, insider):
    data = csv_bytes(HEADER_ZH, _rows(dongcheng_restaurant))
    with translation.override("en"):
        report = services.ledger_import(user=insider, kind="licences", file=io.BytesIO(data), file_name="a.csv", department="东城区市场监督管理局")
    assert (report.total, report.created, report.failed) == (7, 2, 5)
    failed = {e.row: e.code for e in report.errors}
    assert failed == {4: "invalid_uscc", 5: "invalid_city_code", 6: "invalid_date", 7: "unknown_kind", 8: "outside_city"}
    licence = Licence.objects.get(number="T-YY-0001")
    assert licence.place == dongcheng_restaurant  # found by coordinates within 30 m
    assert (licence.source_batch, licence.source_row) == (report.batch, 3)
    assert licence.issuing_department == "东城区市场监督管理局"  # the batch's department when the row names none
    assert report.batch.rows_failed == 5 and report.batch.file_sha256 == report.sha256


def test_row_errors_read_in_chinese_by_default(dongcheng_restaurant, insider):
    data = csv_bytes(HEADER_ZH, _rows(dongcheng_restaurant)[5:6])
    with translation.override("zh-hans"):
        report = services.ledger_import(user=insider, kind="licences", file=io.BytesIO(data), file_name="b.csv", department="x")
    assert "证照类型" in report.errors[0].message


def test_the_same_file_again_changes_nothing_and_is_recognised(dongcheng_restaurant, insider):
    data = csv_bytes(HEADER_ZH, _rows(dongcheng_restaurant)[:2])
    first = services.ledger_import(user=insider, kind="licences", file=io.BytesIO(data), file_name="c.csv", department="d")
    history = Licence.history.count()
    batches = SourceBatch.objects.count()
    again = services.ledger_import(user=insider, kind="licences", file=io.BytesIO(data), file_name="c-copy.csv", department="d")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert again.same_file_as == first.batch
    assert SourceBatch.objects.count() == batches and Licence.history.count() == history


def test_a_changed_row_in_an_english_xlsx_updates_the_record_and_its_lineage(dongcheng_restaurant, insider):
    rows = _rows(dongcheng_restaurant)[:2]
    services.ledger_import(user=insider, kind="licences", file=io.BytesIO(csv_bytes(HEADER_ZH, rows)), file_name="d.csv", department="d")
    rows[0][8] = "2030-06-30"
    report = services.ledger_import(user=insider, kind="licences", file=io.BytesIO(xlsx_bytes(HEADER_EN, rows)), file_name="d.xlsx", department="d")
    assert (report.created, report.updated, report.unchanged, report.failed) == (0, 1, 1, 0)
    licence = Licence.objects.get(number="T-JY-0001")
    assert str(licence.valid_to) == "2030-06-30" and licence.source_batch == report.batch and licence.source_row == 2
    assert licence.history.first().history_user == insider
    unchanged = Licence.objects.get(number="T-YY-0001")
    assert unchanged.source_batch != report.batch


def test_a_gb18030_csv_is_read(dongcheng_restaurant, insider):
    data = csv_bytes(HEADER_ZH, _rows(dongcheng_restaurant)[:1], encoding="gb18030")
    report = services.ledger_import(user=insider, kind="licences", file=io.BytesIO(data), file_name="e.csv", department="d")
    assert report.created == 1


def test_rows_outside_the_importers_jurisdiction_fail(haidian_place, insider):
    row = ["排水许可", "T-PS-0001", "", haidian_place.city_code, "", "", "", "2024-01-01", "2029-12-31"]
    report = services.ledger_import(user=insider, kind="licences", file=io.BytesIO(csv_bytes(HEADER_ZH, [row])), file_name="f.csv", department="d")
    assert [e.code for e in report.errors] == ["outside_jurisdiction"]


def test_a_file_without_the_required_columns_is_refused(insider):
    with pytest.raises(ApplicationError) as info:
        services.ledger_import(user=insider, kind="licences", file=io.BytesIO(csv_bytes(["x"], [["1"]])), file_name="g.csv", department="d")
    assert info.value.code == "unreadable_file"


def test_an_officer_may_not_import(street_officer):
    with pytest.raises(ApplicationError) as info:
        services.ledger_import(user=street_officer, kind="licences", file=io.BytesIO(b"a"), file_name="h.csv", department="d")
    assert info.value.status_code == 403


def test_zones_and_key_points_import_with_their_own_columns(dongcheng_restaurant, insider):
    zones = csv_bytes(["门前三包编号", "城市码", "责任内容", "责任人", "联系电话"],
                      [["T-MQ-1", dongcheng_restaurant.city_code, "市容、秩序", "王先生", "13900001111"],
                       ["T-MQ-2", dongcheng_restaurant.city_code, "打扫", "王先生", ""]])
    report = services.ledger_import(user=insider, kind="zones", file=io.BytesIO(zones), file_name="z.csv", department="街道")
    assert (report.created, [e.code for e in report.errors]) == (1, ["unknown_duty"])
    zone = FrontageZone.objects.get(code="T-MQ-1")
    assert zone.duties == ["appearance", "order"] and zone.zone.contains(dongcheng_restaurant.point)
    points = csv_bytes(["code", "name", "reason", "interval_days", "place_code"],
                       [["T-KP-1", "测试点位", "投诉多", "2", dongcheng_restaurant.city_code], ["T-KP-2", "x", "y", "0", dongcheng_restaurant.city_code]])
    report = services.ledger_import(user=insider, kind="key_points", file=io.BytesIO(points), file_name="k.csv", department="委")
    assert (report.created, [e.code for e in report.errors]) == (1, ["invalid_interval"])
    assert KeyPoint.objects.get(code="T-KP-1").region_code == dongcheng_restaurant.region.code


def test_a_new_holder_the_gbcp_model_refuses_fails_only_its_row(dongcheng_restaurant, insider):
    from apps.gbcp.validators import uscc_check_char

    body = "91110101MA09XYW0" + "1"
    uscc = body + uscc_check_char(body)
    rows = [["排水许可", "T-NEWH-1", uscc, "x" * 300, dongcheng_restaurant.city_code, "2030-01-01"],
            ["排水许可", "T-NEWH-2", "", "", dongcheng_restaurant.city_code, "2030-01-01"]]
    data = csv_bytes(["证照类型", "证照编号", "持证主体统一社会信用代码", "持证主体名称", "城市码", "有效期止"], rows)
    report = services.ledger_import(user=insider, kind="licences", file=io.BytesIO(data), file_name="nh.csv", department="d")
    assert report.created == 1 and [e.row for e in report.errors] == [2]
