"""Evidence uploads with an Idempotency-Key (the offline field client's outbox): replay, reuse (422), the five callers;
the phone's capture time and place are kept beside the server's receive time."""
import pytest
from django.utils import timezone

from apps.accounts.models import Role
from apps.evidence.models import Evidence, LogEntry, UploadKey
from apps.gbcp.models import Organization
from tests.personas import five_callers

pytestmark = pytest.mark.django_db


def _upload(client, task, upload, key, **extra):
    return client.post("/api/evidence/", {"file": upload, "subject_type": "dispatch.task", "subject_id": task.pk, **extra},
                       format="multipart", HTTP_IDEMPOTENCY_KEY=key)


def test_a_retried_upload_is_logged_once_with_the_phones_capture_time_and_another_file_is_422(api_as, insider, photo, dc_task, media_root):
    client = api_as(insider)
    before, entries = Evidence.objects.count(), LogEntry.objects.count()
    sent = dict(lat="39.9042", lon="116.3976", captured_at="2026-11-21T08:00:00+08:00")
    first = _upload(client, dc_task, photo(seed=5), "ev-key-000001", **sent)
    again = _upload(client, dc_task, photo(seed=5), "ev-key-000001", **sent)  # the same bytes sent again
    assert first.status_code == again.status_code == 201, first.content
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    assert Evidence.objects.count() == before + 1 and LogEntry.objects.count() == entries + 1
    evidence = Evidence.objects.get(pk=first.json()["id"])
    assert evidence.captured_at.isoformat().startswith("2026-11-21T00:00:00")  # the phone's time, in UTC
    assert abs((evidence.recorded_at - timezone.now()).total_seconds()) < 120  # the server's, beside it
    other = _upload(client, dc_task, photo(seed=7), "ev-key-000001", **sent)
    assert other.status_code == 422 and other.json()["error"]["code"] == "idempotency_key_reused"
    assert Evidence.objects.count() == before + 1


def test_five_callers_upload_with_a_key(api_as, photo, dc_task, media_root):
    squad = Organization.objects.filter(region__code__startswith=dc_task.region_code[:6], kind=dc_task.organization.kind).first() if dc_task.organization_id else None
    people = five_callers(role=Role.OFFICER, organization=dc_task.organization or squad)
    before = Evidence.objects.count()
    for name, user in people.others():
        response = _upload(api_as(user), dc_task, photo(), f"five-{name}-ev")
        assert response.status_code in (401, 403, 404), name
    assert Evidence.objects.count() == before and not UploadKey.objects.exists()
    made = _upload(api_as(people.insider), dc_task, photo(), "five-insider-ev")
    assert made.status_code == 201, made.content
    assert list(UploadKey.objects.values_list("user", flat=True)) == [people.insider.pk]
