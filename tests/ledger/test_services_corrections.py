"""Corrections (纠错): reported by officers and citizens, accepted (record changed, history names the reviewer) or rejected."""
import datetime as dt

import pytest

from apps.gbcp.errors import ApplicationError, NotFound
from apps.ledger import services
from apps.ledger.models import Correction, Licence, LicenceKind, SendBack

pytestmark = pytest.mark.django_db


@pytest.fixture
def licence(dongcheng_restaurant):
    from apps.ledger.models import SourceBatch

    batch = SourceBatch.objects.create(department="东城区市场监督管理局", kind="licences", file_name="t.csv", file_sha256="0" * 64)
    return Licence.objects.create(kind=LicenceKind.objects.get(code=LicenceKind.FOOD), number="T-COR-1", place=dongcheng_restaurant,
                                  valid_to=dt.date(2027, 1, 31), region_code=dongcheng_restaurant.region.code,
                                  source_batch=batch, source_row=2)


def test_an_accepted_correction_changes_the_record_and_feeds_back_to_the_department(licence, street_officer, insider):
    correction = services.correction_report(user=street_officer, target=licence, field="valid_to", proposed_value="2026-01-31", reason="证上写的是2026年")
    assert correction.current_value == "2027-01-31" and correction.department == "东城区市场监督管理局"
    services.correction_review(user=insider, correction=correction, accept=True, note="")
    licence.refresh_from_db()
    assert licence.valid_to == dt.date(2026, 1, 31)
    assert licence.history.first().history_user == insider
    feedback = SendBack.objects.get(correction=correction)
    assert feedback.kind == SendBack.Kind.CORRECTION and feedback.department == "东城区市场监督管理局"


def test_a_rejection_needs_a_note_and_leaves_the_record(licence, citizen, insider):
    correction = services.correction_report(user=citizen, target=licence, field="number", proposed_value="T-COR-2", reason="号码不对")
    with pytest.raises(ApplicationError):
        services.correction_review(user=insider, correction=correction, accept=False, note="")
    services.correction_review(user=insider, correction=correction, accept=False, note="核对原件无误")
    correction.refresh_from_db()
    licence.refresh_from_db()
    assert correction.status == Correction.Status.REJECTED and correction.reviewed_by == insider
    assert licence.number == "T-COR-1"
    with pytest.raises(ApplicationError):
        services.correction_review(user=insider, correction=correction, accept=True)


def test_an_officer_may_report_but_not_review(licence, street_officer):
    correction = services.correction_report(user=street_officer, target=licence, field="status", proposed_value="吊销", reason="已吊销")
    with pytest.raises(ApplicationError):
        services.correction_review(user=street_officer, correction=correction, accept=True)


def test_an_outsider_neither_reports_nor_reviews_records_of_another_district(licence, outsider, street_officer):
    with pytest.raises(NotFound):
        services.correction_report(user=outsider, target=licence, field="number", proposed_value="X", reason="y")
    correction = services.correction_report(user=street_officer, target=licence, field="number", proposed_value="X", reason="y")
    with pytest.raises(NotFound):
        services.correction_review(user=outsider, correction=correction, accept=True)


def test_a_correction_of_an_unknown_field_or_bad_value_is_refused(licence, street_officer):
    with pytest.raises(ApplicationError) as info:
        services.correction_report(user=street_officer, target=licence, field="region_code", proposed_value="110108", reason="r")
    assert info.value.code == "invalid_field"
    with pytest.raises(ApplicationError) as info:
        services.correction_report(user=street_officer, target=licence, field="valid_to", proposed_value="soon", reason="r")
    assert info.value.code == "invalid_value"
