"""The demo seeds the ledger through the importer, finds something to compare, and a second run changes nothing."""
import io

import pytest

from apps.gbcp.demo.seed import DemoContext
from apps.ledger import demo
from apps.ledger.models import ComparisonRun, Finding, FrontageZone, KeyPoint, Licence, SourceBatch

pytestmark = pytest.mark.django_db


def _counts():
    return [m.objects.count() for m in (Licence, FrontageZone, KeyPoint, SourceBatch, ComparisonRun, Finding)] + [
        Licence.history.count(), FrontageZone.history.count(), KeyPoint.history.count()
    ]


def test_the_demo_ledger_has_lineage_and_findings():
    assert Licence.objects.filter(source_batch__file_name="demo-licences.csv").exists()
    assert FrontageZone.objects.exists() and KeyPoint.objects.exists()
    rules = set(Finding.objects.values_list("rule", flat=True))
    assert {Finding.Rule.RESTAURANT_WITHOUT_FOOD_LICENCE, Finding.Rule.EXPIRED_STILL_ACTIVE} <= rules


def test_a_second_demo_run_changes_nothing():
    before = _counts()
    demo.seed(DemoContext(stdout=io.StringIO(), style=None))
    assert _counts() == before
