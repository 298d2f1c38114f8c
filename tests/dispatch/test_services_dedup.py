"""Dedup: near-identical reports merged with visible score parts, distant ones not, middling ones suggested."""
import datetime as dt
import io
import math

import pytest
from django.contrib.gis.geos import Point
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.dispatch import dedup, services
from apps.dispatch.models import DuplicateCandidate, Source, Status, Task, TaskLog


def offset(point, north_m=0.0, east_m=0.0):
    return Point(point.x + east_m / (111_320 * math.cos(math.radians(point.y))), point.y + north_m / 111_320, srid=4326)


def report(user, point, text, category, **kw):
    return services.task_intake(user=user, source=Source.CITIZEN, description=text, point=point, category=category, **kw)


@pytest.mark.django_db
def test_a_near_identical_report_is_merged_into_the_master(insider, dhm_point, vendor_category):
    first = report(insider, dhm_point, "东华门大街路口有流动摊贩占道经营烤红薯", vendor_category).task
    second = report(insider, offset(dhm_point, 20, 10), "东华门大街路口有流动摊贩占道经营烤红薯，很久了", vendor_category)
    assert second.merged and second.task.pk == first.pk
    assert second.report.status == Status.MERGED and second.report.master == first
    first.refresh_from_db()
    assert first.duplicate_count == 1
    candidate = DuplicateCandidate.objects.get(task=second.report)
    assert candidate.decision == "merged"
    assert set(candidate.parts) >= {"distance", "time", "text", "reporter", "distance_m"}
    assert candidate.score == pytest.approx(candidate.parts["distance"] + candidate.parts["time"] + candidate.parts["text"] + candidate.parts["place"] + candidate.parts["reporter"], abs=1e-3)
    assert TaskLog.objects.filter(task=first, action="duplicate_added").exists()


@pytest.mark.django_db
def test_a_distant_report_of_the_same_thing_is_not_merged(insider, dhm_point, vendor_category):
    report(insider, dhm_point, "路口有流动摊贩占道经营", vendor_category)
    far = report(insider, offset(dhm_point, 800, 0), "路口有流动摊贩占道经营", vendor_category)
    assert not far.merged and far.suggestions == []


@pytest.mark.django_db
def test_a_middling_match_becomes_a_suggestion_the_dispatcher_decides(insider, dhm_point, vendor_category):
    first = report(insider, dhm_point, "东华门大街北口有人摆摊卖水果", vendor_category).task
    # Same spot, some words shared but no named problem to be sure of: close in space and time, weaker in text.
    second = report(insider, offset(dhm_point, 30, 0), "东华门大街北口有人卖水果，占了半条路", vendor_category)
    assert not second.merged
    suggestion = DuplicateCandidate.objects.get(task=second.report, candidate=first)
    assert suggestion.decision == "suggested"
    services.duplicate_decide(user=insider, candidate=suggestion, merge=True)
    second.report.refresh_from_db()
    assert second.report.status == Status.MERGED and second.report.master == first


@pytest.mark.django_db
def test_the_same_reporter_counts_and_reaches_further(insider, dhm_point, vendor_category):
    first = report(insider, dhm_point, "楼下夜市摊位油烟大", vendor_category, reporter_phone="13900002222").task
    again = report(insider, offset(dhm_point, 200, 0), "楼下夜市摊位油烟大", vendor_category, reporter_phone="13900002222")
    assert again.merged and again.task.pk == first.pk
    parts = DuplicateCandidate.objects.get(task=again.report).parts
    assert parts["reporter"] == dedup.WEIGHT_REPORTER


@pytest.mark.django_db
def test_candidates_come_from_an_index_lookup_not_a_scan(insider, dhm_point, vendor_category):
    report(insider, dhm_point, "占道经营", vendor_category)
    rule = dedup.rule_for(vendor_category)
    qs = dedup.candidate_queryset(point=dhm_point, category=vendor_category, received_at=timezone.now(), rule=rule)
    with CaptureQueriesContext(connection) as ctx:
        list(qs)
    sql = ctx.captured_queries[-1]["sql"]
    if connection.vendor == "sqlite":
        assert "SpatialIndex" in sql
    else:
        assert "&&" in sql  # PostGIS bounding-box operator, answered by the GiST index
    assert "received_at" in sql


@pytest.mark.django_db
def test_the_same_external_reference_creates_one_task(insider, dhm_point, vendor_category):
    a = services.task_intake(user=insider, source=Source.PATROL, description="巡查发现占道", point=dhm_point, category=vendor_category, external_ref="P-1")
    b = services.task_intake(user=insider, source=Source.PATROL, description="巡查发现占道", point=dhm_point, category=vendor_category, external_ref="P-1")
    assert a.created and not b.created and a.task.pk == b.task.pk
    assert Task.objects.filter(external_ref="P-1").count() == 1


@pytest.mark.django_db
def test_dedup_eval_scores_a_labelled_file_and_leaves_nothing_behind(tmp_path, dhm_point, vendor_category):
    before = Task.objects.count()
    t0 = timezone.now() - dt.timedelta(hours=5)
    p, far = dhm_point, offset(dhm_point, 3000, 0)
    rows = [
        ("r1", "东华门大街路口有流动摊贩占道经营", p, 0, ""),
        ("r2", "东华门大街路口有流动摊贩占道经营，还没走", offset(p, 15, 5), 1, "r1"),
        ("r3", "东华门大街路口流动摊贩占道经营", offset(p, 5, 5), 2, "r1"),
        ("r4", "路边有人烧烤", far, 3, ""),
    ]
    path = tmp_path / "labelled.csv"
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("id,text,lat,lon,reported_at,category,duplicate_of\n")
        for rid, text, point, hours, dup in rows:
            fh.write(f"{rid},{text},{point.y},{point.x},{(t0 + dt.timedelta(hours=hours)).isoformat()},{vendor_category.code},{dup}\n")
    out = io.StringIO()
    call_command("dedup_eval", str(path), stdout=out)
    import json

    result = json.loads(out.getvalue())
    assert result["n"] == 4 and result["precision"] == 1.0 and result["recall"] == 1.0 and result["f1"] == 1.0
    assert Task.objects.count() == before
