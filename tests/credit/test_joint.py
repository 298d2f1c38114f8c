"""The joint-punishment list (联合惩戒): who is on it and why, the masked export, who may export (five callers), the export log."""
import csv
import hashlib
import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from apps.credit import services
from apps.credit.joint import EXPORT_COLUMNS, joint_list_for_user
from apps.credit.models import CreditRecord, PunishmentExport
from apps.gbcp.models import Entity, Region
from tests.credit.conftest import _uscc
from tests.credit.test_views import english_words
from tests.personas import five_callers, user_with

KEYS = [key for key, _heading in EXPORT_COLUMNS]


def _business(n, name, representative="张三丰"):
    return Entity.objects.create(name=name, uscc=_uscc(500 + n), region=Region.objects.get(code="110101001"),
                                 legal_representative=representative)


@pytest.fixture
def city(db):
    """Three businesses of 东城: one with a major fine (serious), one at grade D without a serious record, one fine (not listed)."""
    serious = _business(1, "联合惩戒重罚商户")
    services.record_penalty_decision(entity=serious, source_ref="test.Case:major", fine=20000, reason="无证经营，罚款两万元")
    services.record_inspection_finding(entity=serious, source_ref="test.Finding:s1", reason="占道经营")
    services.record_commendation(entity=serious, source_ref="test.Commendation:s1", reason="文明商户")
    poor = _business(2, "联合惩戒D级商户", representative="李四")
    services.record_penalty_decision(entity=poor, source_ref="test.Case:p1", fine=500, reason="店外经营")
    services.record_frontage_performance(entity=poor, source_ref="test.Frontage:p1", weight=-15, reason="门前三包考核不合格")
    fine = _business(3, "联合惩戒守信商户")
    services.record_inspection_finding(entity=fine, source_ref="test.Finding:f1", reason="乱堆物料")
    withdrawn = _business(4, "联合惩戒撤销商户")
    gone = services.record_penalty_decision(entity=withdrawn, source_ref="test.Case:w1", fine=30000, reason="已撤销")
    CreditRecord.objects.filter(pk=gone.pk).update(status=CreditRecord.Status.WITHDRAWN)
    for entity in (serious, poor, fine, withdrawn):
        services.recompute_grade(entity=entity)
    return {"serious": serious, "poor": poor, "fine": fine, "withdrawn": withdrawn}


@pytest.fixture
def callers(dongcheng):
    return five_callers(role="legal_reviewer", organization=dongcheng)


@pytest.mark.django_db
def test_the_list_holds_grade_d_and_serious_records_with_their_reasons(city, reviewer):
    listed = {item.entity.name: item for item in joint_list_for_user(user=reviewer)}
    assert "联合惩戒重罚商户" in listed and "联合惩戒D级商户" in listed
    assert "联合惩戒守信商户" not in listed and "联合惩戒撤销商户" not in listed
    serious = listed["联合惩戒重罚商户"]
    assert serious.grade.grade == "C" and serious.grade.score == 62  # 80 - 20 - 3 + 5
    assert serious.criteria == ["serious_record"]
    assert [(r.rule, r.weight) for r in serious.records] == [("penalty_decision_major", -20)]  # only what put it there
    poor = listed["联合惩戒D级商户"]
    assert poor.grade.grade == "D" and poor.grade.score == 55  # 80 - 10 - 15
    assert poor.criteria == ["grade_d"]
    assert sorted(r.weight for r in poor.records) == [-15, -10]  # every negative record in force made the D


@pytest.mark.django_db
def test_the_serious_threshold_comes_from_the_rule_set(city, reviewer):
    version = services.ruleset_new_version(serious_weight=-15)
    services.ruleset_activate(ruleset=version)
    poor = next(item for item in joint_list_for_user(user=reviewer) if item.entity.name == "联合惩戒D级商户")
    assert poor.criteria == ["grade_d", "serious_record"]
    assert [r.weight for r in poor.serious_records] == [-15]


@pytest.mark.django_db
def test_the_list_is_scoped_by_jurisdiction(city, reviewer, outside_reviewer, own_merchant):
    assert {i.entity.pk for i in joint_list_for_user(user=reviewer)} >= {city["serious"].pk, city["poor"].pk}
    names = {i.entity.name for i in joint_list_for_user(user=outside_reviewer)}
    assert "联合惩戒重罚商户" not in names and "联合惩戒D级商户" not in names
    assert joint_list_for_user(user=own_merchant) == [] and joint_list_for_user(user=None) == []


def _csv_rows(content: bytes):
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0] == KEYS and rows[1] == [heading for _key, heading in EXPORT_COLUMNS]
    return [dict(zip(KEYS, row)) for row in rows[2:]]


@pytest.mark.django_db
def test_the_csv_export_is_masked_documented_and_logged(city, reviewer):
    content, name, log = services.joint_list_export(user=reviewer, fmt="csv")
    rows = {row["uscc"]: row for row in _csv_rows(content)}
    row = rows[city["serious"].uscc]
    assert row["name"] == "联合惩戒重罚商户"
    assert row["legal_representative"] == "张**"  # masked as for the public
    assert "张三丰" not in content.decode("utf-8-sig") and "李四" not in content.decode("utf-8-sig")
    assert rows[city["poor"].uscc]["legal_representative"] == "李*"
    assert row["grade"] == "C" and row["score"] == "62" and row["criteria"] == "列入时仍有效的严重失信记录"
    assert "行政处罚决定" in row["reasons"] and "无证经营" in row["reasons"] and "占道经营" not in row["reasons"]
    assert row["record_dates"] and row["issuing_bureau"] == "东城区城市管理综合行政执法局"
    assert row["ruleset_version"] == "1" and row["exported_at"].startswith(log.exported_at.astimezone().strftime("%Y-%m-%d")[:4])
    assert city["fine"].uscc not in rows
    assert log.exported_by == reviewer and log.format == "csv" and log.rows == len(rows)
    assert log.sha256 == hashlib.sha256(content).hexdigest() and name.endswith(".csv")
    assert log.history.count() == 1


@pytest.mark.django_db
def test_the_xlsx_export_has_the_same_columns(city, reviewer):
    content, name, log = services.joint_list_export(user=reviewer, fmt="xlsx")
    sheet = load_workbook(io.BytesIO(content)).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0] == KEYS and len(values) - 2 == log.rows
    row = dict(zip(KEYS, next(v for v in values[2:] if v[0] == city["poor"].uscc)))
    assert row["legal_representative"] == "李*" and row["grade"] == "D" and row["criteria"] == "信用等级为D级"
    assert name.endswith(".xlsx") and log.format == "xlsx"


def _client(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.django_db
def test_export_page_with_the_five_callers(city, callers):
    uscc = city["serious"].uscc
    answers = {}
    for name, user in callers.items():
        response = _client(user).get("/credit/joint/export/csv/")
        answers[name] = response.status_code
        if response.status_code == 200:
            answers[name + "_listed"] = uscc in response.content.decode("utf-8-sig")
    assert answers == {"insider": 200, "insider_listed": True, "outsider": 200, "outsider_listed": False, "citizen": 403,
                       "merchant": 403, "anonymous": 302}
    assert PunishmentExport.objects.filter(exported_by=callers.insider).count() == 1
    assert PunishmentExport.objects.filter(exported_by=callers.outsider, rows=0).count() == 1
    assert not PunishmentExport.objects.filter(exported_by__in=[callers.citizen, callers.merchant]).exists()


@pytest.mark.django_db
def test_export_api_with_the_five_callers_and_other_staff_refused(city, callers, dongcheng, api_as):
    expected = {"insider": 200, "outsider": 200, "citizen": 403, "merchant": 403, "anonymous": 401}
    for name, user in callers.items():
        response = api_as(user).get("/api/credit/joint/export/xlsx/")
        assert response.status_code == expected[name], name
        if name == "insider":
            assert int(response["X-Export-Rows"]) >= 2
            assert response["X-Export-SHA256"] == hashlib.sha256(response.content).hexdigest()
    officer = user_with(role="officer", organization=dongcheng, name="credit-officer")
    assert api_as(officer).get("/api/credit/joint/export/csv/").status_code == 403
    assert _client(officer).get("/credit/joint/export/csv/").status_code == 403
    assert api_as(callers.insider).get("/api/credit/joint/export/pdf/").status_code == 404
    assert not PunishmentExport.objects.filter(exported_by=officer).exists()


@pytest.mark.django_db
def test_list_page_and_api_with_the_five_callers(city, callers, api_as):
    pages = {name: _client(user).get("/credit/joint/") for name, user in callers.items()}
    assert {n: r.status_code for n, r in pages.items()} == {"insider": 200, "outsider": 200, "citizen": 403, "merchant": 403, "anonymous": 302}
    inside, outside = pages["insider"].content.decode(), pages["outsider"].content.decode()
    assert "联合惩戒重罚商户" in inside and "无证经营" in inside and "联合惩戒重罚商户" not in outside
    assert english_words(inside) == set()
    api = {name: api_as(user).get("/api/credit/joint/") for name, user in callers.items()}
    assert {n: r.status_code for n, r in api.items()} == {"insider": 200, "outsider": 200, "citizen": 200, "merchant": 200, "anonymous": 401}
    names = [row["entity"]["name"] for row in api["insider"].json()["results"]]
    assert "联合惩戒重罚商户" in names and "联合惩戒守信商户" not in names
    for name in ("outsider", "citizen", "merchant"):
        assert "联合惩戒重罚商户" not in [row["entity"]["name"] for row in api[name].json()["results"]]
