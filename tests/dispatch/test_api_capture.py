"""Accept and feedback keep when and where the phone recorded them (the offline field client sends them later):
optional fields, kept in the step's log beside its own time; bad ones are a 400 that changes nothing."""
import datetime as dt

import pytest
from django.utils import timezone

from apps.accounts.models import User
from apps.dispatch import services
from apps.dispatch.models import Source, Status, TaskLog


@pytest.fixture
def task(db, insider, dhm_point, vendor_category):
    task = services.task_intake(
        user=insider, source=Source.CITIZEN, description="东华门大街有人占道经营", point=dhm_point, category=vendor_category,
    ).task
    services.task_dispatch(user=insider, task=task)
    return task


@pytest.mark.django_db
def test_accept_and_feedback_keep_the_phones_capture_time_and_place(api_as, task):
    officer = api_as(User.objects.get(username="dhm_officer1"))
    when = (timezone.now() - dt.timedelta(hours=2)).replace(microsecond=0)
    accepted = officer.post(f"/api/dispatch/tasks/{task.pk}/accept/",
                            {"captured_at": when.isoformat(), "lat": 39.915, "lon": 116.404}, format="json")
    assert accepted.status_code == 200 and accepted.json()["status"] == Status.ACCEPTED
    log = TaskLog.objects.get(task=task, action="accept")
    assert dt.datetime.fromisoformat(log.data["captured_at"]) == when
    assert log.data["captured_point"] == {"lat": 39.915, "lon": 116.404}
    assert log.at > when  # the server's own time stays its own
    fed = officer.post(f"/api/dispatch/tasks/{task.pk}/feedback/",
                       {"result": "已清理", "captured_at": when.isoformat()}, format="multipart")
    assert fed.status_code == 200
    feedback = TaskLog.objects.get(task=task, action="feedback")
    assert dt.datetime.fromisoformat(feedback.data["captured_at"]) == when and "captured_point" not in feedback.data
    shown = [entry["data"] for entry in fed.json()["logs"] if entry["action"] == "accept"]
    assert shown[0]["captured_point"] == {"lat": 39.915, "lon": 116.404}


@pytest.mark.django_db
def test_without_capture_fields_the_log_is_as_before(api_as, task):
    officer = api_as(User.objects.get(username="dhm_officer1"))
    assert officer.post(f"/api/dispatch/tasks/{task.pk}/accept/").status_code == 200
    assert TaskLog.objects.get(task=task, action="accept").data == {}


@pytest.mark.django_db
@pytest.mark.parametrize("body, field", [
    ({"lat": 39.9}, "lat"),
    ({"captured_at": "gestern"}, "captured_at"),
    ({"lat": 139.9, "lon": 116.4}, "lat"),
])
def test_bad_capture_fields_are_a_400_and_change_nothing(api_as, task, body, field):
    officer = api_as(User.objects.get(username="dhm_officer1"))
    answer = officer.post(f"/api/dispatch/tasks/{task.pk}/accept/", body, format="json")
    assert answer.status_code == 400 and field in answer.json()["error"]["details"]
    task.refresh_from_db()
    assert task.status == Status.DISPATCHED and not TaskLog.objects.filter(task=task, action="accept").exists()


@pytest.mark.django_db
def test_a_capture_time_in_the_future_is_refused_in_chinese(api_as, task):
    officer = api_as(User.objects.get(username="dhm_officer1"))
    later = (timezone.now() + dt.timedelta(days=1)).isoformat()
    answer = officer.post(f"/api/dispatch/tasks/{task.pk}/accept/", {"captured_at": later}, format="json",
                          HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert answer.status_code == 400
    assert answer.json()["error"]["details"]["captured_at"] == ["采集时间晚于当前时间。"]
    task.refresh_from_db()
    assert task.status == Status.DISPATCHED
