"""The task API for the mobile client: insider, outsider and anonymous; the steps through HTTP."""
import pytest

from apps.accounts.models import Role, User
from apps.dispatch import services
from apps.dispatch.models import Source, Status


@pytest.fixture
def task(db, insider, dhm_point, vendor_category):
    result = services.task_intake(
        user=insider, source=Source.CITIZEN, description="东华门大街有人占道经营", point=dhm_point, category=vendor_category,
        reporter_name="李四", reporter_phone="13811112222",
    )
    return result.task


@pytest.mark.django_db
def test_task_list_and_detail_insider_outsider_anonymous(api, api_as, insider, outsider, task):
    listed = api_as(insider).get("/api/dispatch/tasks/?open=1").json()
    assert task.pk in [t["id"] for t in listed["results"]]
    detail = api_as(insider).get(f"/api/dispatch/tasks/{task.pk}/").json()
    assert detail["number"] == task.number and detail["reporter_phone"] == "138****2222"
    assert detail["logs"][0]["action"] == "intake"
    assert task.pk not in [t["id"] for t in api_as(outsider).get("/api/dispatch/tasks/").json()["results"]]
    assert api_as(outsider).get(f"/api/dispatch/tasks/{task.pk}/").status_code == 404
    assert api_as(outsider).post(f"/api/dispatch/tasks/{task.pk}/accept/").status_code == 404
    assert api.get("/api/dispatch/tasks/").status_code == 401
    assert api.post(f"/api/dispatch/tasks/{task.pk}/accept/").status_code == 401


@pytest.mark.django_db
def test_the_squad_works_the_task_through_the_api(api_as, insider, task):
    services.task_dispatch(user=insider, task=task)
    leader = api_as(User.objects.get(username="dhm_leader"))
    officer = api_as(User.objects.get(username="dhm_officer1"))
    mine = officer.get("/api/dispatch/tasks/?mine=1&status=dispatched").json()
    # The demo city leaves tasks of its own for this squad to accept: ours is among them, and all are dispatched.
    assert task.pk in [t["id"] for t in mine["results"]] and {t["status"] for t in mine["results"]} == {"dispatched"}
    refused = leader.post(f"/api/dispatch/tasks/{task.pk}/return/", {"reason": ""})
    assert refused.status_code == 400 and "reason" in refused.json()["error"]["details"]
    assert leader.post(f"/api/dispatch/tasks/{task.pk}/accept/").json()["status"] == Status.ACCEPTED
    again = leader.post(f"/api/dispatch/tasks/{task.pk}/accept/")
    assert again.status_code == 409 and again.json()["error"]["code"] == "illegal_step"
    assert officer.post(f"/api/dispatch/tasks/{task.pk}/arrive/", {"point": {"lat": 39.91, "lon": 116.40}}, format="json").json()["status"] == Status.IN_PROGRESS
    done = officer.post(f"/api/dispatch/tasks/{task.pk}/feedback/", {"result": "已清理", "solved": True}, format="json")
    assert done.status_code == 200 and done.json()["status"] == Status.FEEDBACK


@pytest.mark.django_db
def test_another_districts_officer_cannot_act(api_as, insider, task):
    services.task_dispatch(user=insider, task=task)
    response = api_as(User.objects.get(username="zgc_officer")).post(f"/api/dispatch/tasks/{task.pk}/accept/")
    assert response.status_code == 404


@pytest.mark.django_db
def test_the_task_list_does_not_grow_queries_with_its_length(api_as, insider, dhm_point, vendor_category, django_assert_max_num_queries):
    for i in range(6):
        services.task_intake(user=insider, source=Source.DISPATCHER, description=f"第{i}处问题 {'甲乙丙丁戊己'[i]}", point=dhm_point, category=vendor_category, external_ref=f"q-{i}")
    client = api_as(insider)
    with django_assert_max_num_queries(5):
        body = client.get("/api/dispatch/tasks/?page_size=50").json()
    assert body["count"] >= 6


@pytest.mark.django_db
def test_feedback_with_photos_stores_them_and_a_bad_photo_stores_nothing(api_as, insider, task, tmp_path, settings):
    import io

    from PIL import Image

    from apps.dispatch.models import TaskPhoto

    settings.MEDIA_ROOT = tmp_path
    services.task_dispatch(user=insider, task=task)
    officer = api_as(User.objects.get(username="dhm_officer1"))
    officer.post(f"/api/dispatch/tasks/{task.pk}/accept/")

    def png(name):
        buffer = io.BytesIO()
        Image.new("RGB", (40, 30), "green").save(buffer, format="PNG")
        buffer.seek(0)
        buffer.name = name
        return buffer

    junk = io.BytesIO(b"not an image at all")
    junk.name = "fake.jpg"
    refused = officer.post(f"/api/dispatch/tasks/{task.pk}/feedback/", {"result": "已清理", "photos": [png("a.png"), junk]}, format="multipart")
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "not_an_image"
    task.refresh_from_db()
    assert task.status == Status.ACCEPTED and not TaskPhoto.objects.filter(task=task).exists()
    assert not list(tmp_path.rglob("*.png"))
    done = officer.post(f"/api/dispatch/tasks/{task.pk}/feedback/", {"result": "已清理", "photos": [png("a.png"), png("b.png")]}, format="multipart")
    assert done.status_code == 200 and done.json()["status"] == Status.FEEDBACK
    assert TaskPhoto.objects.filter(task=task, stage="feedback").count() == 2
    assert len(list(tmp_path.rglob("*.png"))) == 2


@pytest.mark.django_db
def test_refer_and_defer_through_the_api_refuse_bad_input(api_as, insider, task):

    from django.utils import timezone

    from apps.gbcp.models import Organization

    services.task_dispatch(user=insider, task=task)
    leader = api_as(User.objects.get(username="dhm_leader"))
    leader.post(f"/api/dispatch/tasks/{task.pk}/accept/")
    bad_date = leader.post(f"/api/dispatch/tasks/{task.pk}/defer/", {"plan": "协调", "target_date": "not-a-date"}, format="json")
    assert bad_date.status_code == 400 and "target_date" in bad_date.json()["error"]["details"]
    past = leader.post(f"/api/dispatch/tasks/{task.pk}/defer/", {"plan": "协调", "target_date": str(timezone.localdate())}, format="json")
    assert past.status_code == 400 and past.json()["error"]["code"] == "target_date_past"
    department = Organization.objects.get(name="东城区城市管理委员会")
    unknown = leader.post(f"/api/dispatch/tasks/{task.pk}/refer/", {"organization": 999999, "reason": "x"}, format="json")
    assert unknown.status_code == 400
    referred = leader.post(f"/api/dispatch/tasks/{task.pk}/refer/", {"organization": department.pk, "reason": "设施维修归城管委"}, format="json")
    assert referred.status_code == 200 and referred.json()["status"] == Status.NEW
    assert referred.json()["organization"] == department.name
    task.refresh_from_db()
    assert task.deferrals.count() == 0 and task.organization == department


@pytest.mark.django_db
def test_summons_report_in_insider_outsider_anonymous(api, api_as, task):
    from apps.accounts import services as account_services
    from apps.gbcp.models import Organization

    office, department = Organization.objects.get(name="东华门街道办事处"), Organization.objects.get(name="东城区城市管理委员会")
    street = account_services.user_ensure(user=None, username="api_street", password="x-123456789")
    account_services.membership_grant(user=None, member=street, organization=office, role=Role.LEADER)
    member = account_services.user_ensure(user=None, username="api_cgw", password="x-123456789")
    account_services.membership_grant(user=None, member=member, organization=department, role=Role.OFFICER)
    whistle = services.whistle_blow(user=User.objects.get(pk=street.pk), task=task, departments=[department], reason="需城管委到场")
    summons = whistle.summonses.get()
    insider = api_as(User.objects.get(pk=member.pk))
    assert [s["id"] for s in insider.get("/api/dispatch/summonses/").json()["results"]] == [summons.pk]
    outsider = api_as(User.objects.get(username="hd_dispatcher"))
    assert outsider.get("/api/dispatch/summonses/").json()["count"] == 0
    assert outsider.post(f"/api/dispatch/summonses/{summons.pk}/report-in/").status_code == 404
    assert api.post(f"/api/dispatch/summonses/{summons.pk}/report-in/").status_code == 401
    done = insider.post(f"/api/dispatch/summonses/{summons.pk}/report-in/")
    assert done.status_code == 200 and done.json()["late_minutes"] == 0
    again = insider.post(f"/api/dispatch/summonses/{summons.pk}/report-in/")
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_reported"
