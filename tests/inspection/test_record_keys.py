"""Inspection records with an Idempotency-Key (the offline field client's outbox): replay, reuse (422), the five callers."""
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from apps.accounts.models import Role
from apps.inspection.models import InspectionRecord, RecordKey
from apps.inspection.tasks import sweep_overdue_assignments
from tests.personas import five_callers


def _jpeg():
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 40, 40)).save(buffer, format="JPEG")
    return SimpleUploadedFile("a.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.mark.django_db
def test_a_retried_record_with_a_photo_is_stored_once_and_another_body_is_422(api_as, officer1, officer2, dhm_place, answers_for):
    from apps.evidence.selectors import evidence_for_subject

    client = api_as(officer1)
    before = InspectionRecord.objects.count()

    def body(**extra):
        return {"city_code": dhm_place.city_code, "co_officer": officer2.pk, "answers": json.dumps(answers_for(dhm_place)),
                "lat": dhm_place.point.y, "lon": dhm_place.point.x, "photos": [_jpeg()], **extra}

    first = client.post("/api/inspection/records/", body(), format="multipart", HTTP_IDEMPOTENCY_KEY="rec-key-00001")
    again = client.post("/api/inspection/records/", body(), format="multipart", HTTP_IDEMPOTENCY_KEY="rec-key-00001")
    assert first.status_code == again.status_code == 201, first.content
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    record = InspectionRecord.objects.get(pk=first.json()["id"])
    assert evidence_for_subject(subject=record).count() == 1
    other = client.post("/api/inspection/records/", body(note="另一条"), format="multipart", HTTP_IDEMPOTENCY_KEY="rec-key-00001")
    assert other.status_code == 422 and other.json()["error"]["code"] == "idempotency_key_reused"
    assert InspectionRecord.objects.count() == before + 1
    RecordKey.objects.update(expires_at="2000-01-01T00:00:00Z")
    sweep_overdue_assignments()
    assert not RecordKey.objects.exists()


@pytest.mark.django_db
def test_a_refused_record_does_not_spend_the_key(api_as, officer1, dhm_place, answers_for):
    body = {"city_code": dhm_place.city_code, "co_officer": None, "answers": answers_for(dhm_place), "lat": dhm_place.point.y, "lon": dhm_place.point.x}
    refused = api_as(officer1).post("/api/inspection/records/", body, format="json", HTTP_IDEMPOTENCY_KEY="rec-key-00002")
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "two_officers_required"
    assert not RecordKey.objects.exists()


@pytest.mark.django_db
def test_five_callers_record_with_a_key(api_as, squad, officer2, dhm_place, answers_for):
    people = five_callers(role=Role.OFFICER, organization=squad)
    before = InspectionRecord.objects.count()
    body = {"city_code": dhm_place.city_code, "co_officer": officer2.pk, "answers": answers_for(dhm_place), "lat": dhm_place.point.y, "lon": dhm_place.point.x}
    for name, user in people.others():
        response = api_as(user).post("/api/inspection/records/", body, format="json", HTTP_IDEMPOTENCY_KEY=f"five-{name}-rec")
        assert response.status_code in (400, 401, 403, 404), name
        assert "Idempotent-Replayed" not in response
    assert not RecordKey.objects.exists() and InspectionRecord.objects.count() == before
    made = api_as(people.insider).post("/api/inspection/records/", body, format="json", HTTP_IDEMPOTENCY_KEY="five-insider-rec")
    assert made.status_code == 201, made.content
    assert list(RecordKey.objects.values_list("user", flat=True)) == [people.insider.pk]
