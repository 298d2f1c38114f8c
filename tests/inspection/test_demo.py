import pytest

from apps.inspection.models import Checklist, Draw, Finding, InspectionRecord, InspectorQualification


@pytest.mark.django_db
def test_the_demo_has_checklists_certificates_records_and_published_draws():
    assert set(Checklist.objects.values_list("place_kind", flat=True)) >= {"restaurant", "shop", "market", "construction_site", "street_segment"}
    assert InspectorQualification.objects.filter(region_code__startswith="110101").count() >= 2
    assert InspectionRecord.objects.exists()
    assert Finding.objects.exists()
    assert Draw.objects.filter(is_published=True).exists()
