import io

import pytest

from apps.gbcp.demo.seed import DemoContext
from apps.inspection import demo
from apps.inspection.models import Assignment, Checklist, Draw, Finding, InspectionRecord, InspectorQualification, PatrolPlan


@pytest.mark.django_db
def test_the_demo_has_checklists_certificates_a_plan_and_published_draws():
    assert set(Checklist.objects.values_list("place_kind", flat=True)) >= {"restaurant", "shop", "market", "construction_site", "street_segment"}
    assert InspectorQualification.objects.filter(region_code__startswith="110101").count() >= 2
    # Records need places in 东华门街道, where the demo officers serve; the small test city has none there.
    if InspectionRecord.objects.exists():
        assert Finding.objects.exists()
    assert Draw.objects.filter(is_published=True).exists()
    plan = PatrolPlan.objects.get(name=demo.DEMO_PLAN)
    assert Assignment.objects.filter(plan=plan).exists()
    draw = Draw.objects.filter(is_published=True).first()
    from apps.inspection.services import draw_replay

    assert draw_replay(draw=draw) == {"match": True}


@pytest.mark.django_db
def test_a_second_demo_run_changes_nothing():
    def counts():
        return [m.objects.count() for m in (Checklist, InspectorQualification, PatrolPlan, Assignment, InspectionRecord, Draw)] + [
            Checklist.history.count(), Assignment.history.count(), Draw.history.count()]

    before = counts()
    demo.seed(DemoContext(stdout=io.StringIO(), style=None))
    assert counts() == before
