import pytest

from apps.realtime.events import publish


@pytest.mark.django_db
def test_a_user_sees_and_reads_only_their_own_notifications(api, api_as, insider, outsider):
    from django.utils import timezone

    from apps.realtime.models import Notification

    # What the demo city told the insider (feedback to verify, notices) is read first: only this test's are unread.
    Notification.objects.filter(recipient=insider, read_at__isnull=True).update(read_at=timezone.now())
    mine = publish(event="task.new", payload={"task": 1}, users=[insider], title="新任务")[0]
    theirs = publish(event="task.new", payload={"task": 2}, users=[outsider], title="海淀新任务")[0]
    client = api_as(insider)
    listed = client.get("/api/realtime/notifications/?unread=1").json()
    assert [n["id"] for n in listed["results"]] == [mine.pk]
    assert client.post(f"/api/realtime/notifications/{mine.pk}/read/").json()["read_at"]
    assert client.get("/api/realtime/notifications/?unread=1").json()["count"] == 0
    assert client.post(f"/api/realtime/notifications/{theirs.pk}/read/").status_code == 404
    assert api.get("/api/realtime/notifications/").status_code == 401
    assert api.post(f"/api/realtime/notifications/{mine.pk}/read/").status_code == 401


@pytest.mark.django_db
def test_stored_notifications_keep_history(insider):
    note = publish(event="x", payload={}, users=[insider])[0]
    assert note.history.count() == 1
