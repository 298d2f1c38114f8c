"""The demo grades every business and rates every place; the expiry command does what the daily task does."""
import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from apps.credit import services
from apps.credit.models import CreditRecord, EntityGrade, GradeRuleSet, PlaceRisk
from apps.gbcp.models import Entity, Place


@pytest.mark.django_db
def test_the_demo_has_one_active_rule_set_a_grade_per_business_and_a_risk_per_place():
    assert GradeRuleSet.objects.filter(is_active=True).count() == 1
    assert EntityGrade.objects.count() == Entity.objects.count()
    assert PlaceRisk.objects.count() == Place.objects.filter(is_active=True).count()
    assert CreditRecord.objects.filter(source_ref__startswith="demo:").exists()
    assert set(PlaceRisk.objects.values_list("level", flat=True)) >= {"low", "medium"}


@pytest.mark.django_db
def test_the_demo_runs_again_without_recording_twice():
    from apps.credit import demo
    from apps.gbcp.demo.seed import DemoContext

    before = CreditRecord.objects.count()
    demo.seed(DemoContext(stdout=io.StringIO(), style=None, places=0, entities=0, district_codes=None, progress=False))
    assert CreditRecord.objects.count() == before


@pytest.mark.django_db
def test_the_expiry_command_expires_due_records_and_regrades(business):
    today = timezone.localdate()
    record = services.record_inspection_finding(entity=business, source_ref="test.Finding:cmd", found_on=today - dt.timedelta(days=365 - 3))
    services.recompute_grade(entity=business)
    out = io.StringIO()
    call_command("credit_expire", f"--today={today + dt.timedelta(days=3):%Y-%m-%d}", stdout=out)
    record.refresh_from_db()
    assert record.status == CreditRecord.Status.EXPIRED and "grades recomputed" in out.getvalue()
    assert EntityGrade.objects.get(entity=business).score == 80
    assert f"place risks recomputed: {Place.objects.filter(is_active=True).count()}" in out.getvalue()


@pytest.mark.django_db
def test_the_daily_task_expires_regrades_and_rerates(business):
    from apps.credit.tasks import expire_and_refresh

    result = expire_and_refresh()
    assert result["risks"] == Place.objects.filter(is_active=True).count() and result["recomputed"] >= 1
