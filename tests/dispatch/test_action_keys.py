"""Officer steps with an Idempotency-Key (the offline field client's outbox): replay, reuse (422), a task that
moved on (409), the five callers, and the prune job."""
import datetime as dt
import io

import pytest
from django.utils import timezone
from PIL import Image

from apps.accounts.models import Role, User
from apps.dispatch import services
from apps.dispatch.models import OfficerActionKey, Source, Status, TaskLog, TaskPhoto
from tests.personas import five_callers


@pytest.fixture
def task(db, insider, dhm_point, vendor_category):
    task = services.task_intake(
        user=insider, source=Source.CITIZEN, description="东华门大街有人占道经营", point=dhm_point, category=vendor_category,
    ).task
    services.task_dispatch(user=insider, task=task)
    return task


def _png(name):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(buffer, format="PNG")
    buffer.seek(0)
    buffer.name = name
    return buffer


@pytest.mark.django_db
def test_a_retried_accept_answers_the_first_answer_once(api_as, task):
    leader = api_as(User.objects.get(username="dhm_leader"))
    first = leader.post(f"/api/dispatch/tasks/{task.pk}/accept/", HTTP_IDEMPOTENCY_KEY="accept-key-0001")
    again = leader.post(f"/api/dispatch/tasks/{task.pk}/accept/", HTTP_IDEMPOTENCY_KEY="accept-key-0001")
    assert first.status_code == again.status_code == 200
    assert "Idempotent-Replayed" not in first and again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json() and again.json()["status"] == Status.ACCEPTED
    assert TaskLog.objects.filter(task=task, action="accept").count() == 1
    # Without the key the second accept is what it always was: the task moved on.
    plain = leader.post(f"/api/dispatch/tasks/{task.pk}/accept/")
    assert plain.status_code == 409 and plain.json()["error"]["code"] == "illegal_step"


@pytest.mark.django_db
def test_feedback_with_photos_replayed_stores_the_photos_once_and_another_body_is_422(api_as, task, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    officer = api_as(User.objects.get(username="dhm_officer1"))
    officer.post(f"/api/dispatch/tasks/{task.pk}/accept/")
    url = f"/api/dispatch/tasks/{task.pk}/feedback/"
    first = officer.post(url, {"result": "已清理", "photos": [_png("a.png")]}, format="multipart", HTTP_IDEMPOTENCY_KEY="fb-key-00001")
    again = officer.post(url, {"result": "已清理", "photos": [_png("a.png")]}, format="multipart", HTTP_IDEMPOTENCY_KEY="fb-key-00001")
    assert first.status_code == again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert TaskPhoto.objects.filter(task=task, stage="feedback").count() == 1
    other = officer.post(url, {"result": "未清理", "photos": [_png("a.png")]}, format="multipart", HTTP_IDEMPOTENCY_KEY="fb-key-00001")
    assert other.status_code == 422 and other.json()["error"]["code"] == "idempotency_key_reused"
    assert TaskPhoto.objects.filter(task=task, stage="feedback").count() == 1


@pytest.mark.django_db
def test_a_step_queued_offline_after_the_task_moved_on_is_a_409_and_does_not_spend_the_key(api_as, task):
    leader = api_as(User.objects.get(username="dhm_leader"))
    officer = api_as(User.objects.get(username="dhm_officer1"))
    assert leader.post(f"/api/dispatch/tasks/{task.pk}/return/", {"reason": "不归我队"}, format="json").status_code == 200
    late = officer.post(f"/api/dispatch/tasks/{task.pk}/accept/", HTTP_IDEMPOTENCY_KEY="late-key-0001")
    assert late.status_code == 409 and late.json()["error"]["message"]
    assert not OfficerActionKey.objects.filter(key="late-key-0001").exists()


@pytest.mark.django_db
def test_keys_are_per_user_and_a_bad_key_is_400(api_as, task):
    leader = api_as(User.objects.get(username="dhm_leader"))
    officer = api_as(User.objects.get(username="dhm_officer1"))
    assert leader.post(f"/api/dispatch/tasks/{task.pk}/accept/", HTTP_IDEMPOTENCY_KEY="shared-key-01").status_code == 200
    # Another officer's same key is not a replay of the leader's answer: it is his own arrive.
    arrived = officer.post(f"/api/dispatch/tasks/{task.pk}/arrive/", {}, format="json", HTTP_IDEMPOTENCY_KEY="shared-key-01")
    assert arrived.status_code == 200 and "Idempotent-Replayed" not in arrived and arrived.json()["status"] == Status.IN_PROGRESS
    bad = officer.post(f"/api/dispatch/tasks/{task.pk}/arrive/", {}, format="json", HTTP_IDEMPOTENCY_KEY="short")
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_idempotency_key"


@pytest.mark.django_db
def test_five_callers_with_a_key(api_as, task):
    people = five_callers(role=Role.OFFICER, organization=task.organization)
    for name, user in people.others():
        client = api_as(user)
        theirs = client.post(f"/api/dispatch/tasks/{task.pk}/accept/", HTTP_IDEMPOTENCY_KEY=f"five-{name}-key")
        missing = client.post("/api/dispatch/tasks/999999999/accept/", HTTP_IDEMPOTENCY_KEY=f"five-{name}-key")
        # "Not yours" is answered exactly like "not there"; the anonymous caller is asked to sign in.
        assert theirs.status_code == missing.status_code == (401 if user is None else 404), name
        assert theirs.json() == missing.json(), name
    assert not OfficerActionKey.objects.exists()
    response = api_as(people.insider).post(f"/api/dispatch/tasks/{task.pk}/accept/", HTTP_IDEMPOTENCY_KEY="five-insider-key")
    assert response.status_code == 200 and response.json()["status"] == Status.ACCEPTED
    assert list(OfficerActionKey.objects.values_list("user", flat=True)) == [people.insider.pk]


@pytest.mark.django_db
def test_the_hourly_job_forgets_expired_officer_keys(api_as, task):
    from apps.dispatch.tasks import prune_intake_keys

    leader = api_as(User.objects.get(username="dhm_leader"))
    leader.post(f"/api/dispatch/tasks/{task.pk}/accept/", HTTP_IDEMPOTENCY_KEY="old-key-00001")
    OfficerActionKey.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert prune_intake_keys() == 1
    assert not OfficerActionKey.objects.exists()
