"""The dispatch staff pages over real HTTP: queue, task page and its action forms, overdue board."""
import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.dispatch import services
from apps.dispatch.models import Deferral, DuplicateCandidate, Source, Status, Task, WhistleSummons
from apps.gbcp.models import Organization, Region


def client_for(user=None):
    web = Client()
    # English pages, so that assertions read the source strings.
    web.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    if user is not None:
        web.force_login(user)
    return web


def flash(response):
    return [(m.level_tag, str(m)) for m in response.context["messages"]]


def act(web, task, action, data=None):
    return web.post(f"/dispatch/tasks/{task.pk}/{action}/", data or {}, follow=True)


@pytest.fixture
def leader(db):
    return User.objects.get(username="dhm_leader")


@pytest.fixture
def officer(db):
    return User.objects.get(username="dhm_officer1")


@pytest.fixture
def reported(db, insider, dhm_point, vendor_category):
    return services.task_intake(
        user=insider, source=Source.DISPATCHER, description="东华门大街有流动摊贩占道经营，影响通行", point=dhm_point,
        category=vendor_category, reporter_name="张三", reporter_phone="13800001111",
    ).task


def refresh(task):
    task.refresh_from_db()
    return task


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_sign_in(reported):
    web = client_for()
    for url in ("/dispatch/", "/dispatch/overdue/", f"/dispatch/tasks/{reported.pk}/"):
        response = web.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    response = web.post(f"/dispatch/tasks/{reported.pk}/accept/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert refresh(reported).status == Status.NEW


@pytest.mark.django_db
def test_the_queue_shows_the_insider_their_task_and_hides_it_from_the_outsider(reported, insider, outsider):
    html = client_for(insider).get("/dispatch/").content.decode()
    assert reported.number in html
    assert "task-geojson" in html and "leaflet" in html.lower() and "dispatch.js" in html
    assert reported.organization.short_name in html or reported.organization.name in html
    outsider_page = client_for(outsider).get("/dispatch/")
    assert outsider_page.status_code == 200 and reported.number not in outsider_page.content.decode()


@pytest.mark.django_db
def test_the_queue_filters_and_puts_new_tasks_first(reported, insider, dhm_point, vendor_category):
    services.task_dispatch(user=insider, task=reported)
    later = services.task_intake(user=insider, source=Source.HOTLINE, description="东单北大街路灯不亮，晚上很黑", point=dhm_point).task
    web = client_for(insider)
    tasks = web.get("/dispatch/").context["tasks"]
    assert tasks[0].status == Status.NEW
    dispatched = web.get("/dispatch/?status=dispatched").context["tasks"]
    assert reported.pk in [t.pk for t in dispatched] and {t.status for t in dispatched} == {Status.DISPATCHED}
    hotline = web.get("/dispatch/?source=hotline").context["tasks"]
    assert later.pk in [t.pk for t in hotline] and {t.source for t in hotline} == {Source.HOTLINE}
    assert [t.pk for t in web.get(f"/dispatch/?q={reported.number}").context["tasks"]] == [reported.pk]
    assert reported.pk in [t.pk for t in web.get(f"/dispatch/?category={vendor_category.code}").context["tasks"]]
    assert reported.pk not in [t.pk for t in web.get("/dispatch/?alert=red").context["tasks"]]
    # A bad filter value is ignored, not a 500.
    assert web.get("/dispatch/?status=nonsense&page=x").status_code == 200


@pytest.mark.django_db
def test_a_task_without_category_says_it_needs_a_person(insider, dhm_point):
    task = services.task_intake(user=insider, source=Source.DISPATCHER, description="请来看一下", point=dhm_point).task
    if task.category_id is not None:
        pytest.skip("the classifier found a category for this text")
    html = client_for(insider).get("/dispatch/").content.decode()
    assert "needs a person" in html


@pytest.mark.django_db
def test_task_page_for_insider_and_404_for_outsider(reported, insider, outsider):
    response = client_for(insider).get(f"/dispatch/tasks/{reported.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert reported.number in html and reported.route_reason in html
    assert "138****1111" in html and "13800001111" not in html  # the dispatcher's clearance is staff
    assert "dispatch" in html and "Workflow steps" in html and "History" in html
    assert 'action="/dispatch/tasks/%d/dispatch/"' % reported.pk in html
    assert 'action="/dispatch/tasks/%d/accept/"' % reported.pk not in html  # not the dispatcher's step
    web = client_for(outsider)
    assert web.get(f"/dispatch/tasks/{reported.pk}/").status_code == 404
    assert web.post(f"/dispatch/tasks/{reported.pk}/dispatch/", {}).status_code == 404
    assert refresh(reported).status == Status.NEW
    assert client_for(insider).get("/dispatch/tasks/999999999/").status_code == 404


@pytest.mark.django_db
def test_the_whole_loop_through_the_forms(reported, insider, leader, officer, vendor_category):
    dispatcher, squad, field = client_for(insider), client_for(leader), client_for(officer)

    response = act(dispatcher, reported, "category", {"category": vendor_category.pk})
    assert ("success", "Category set; route and deadline updated.") in flash(response)
    response = act(dispatcher, reported, "dispatch", {"note": ""})
    assert ("success", "Task dispatched.") in flash(response) and refresh(reported).status == Status.DISPATCHED

    html = squad.get(f"/dispatch/tasks/{reported.pk}/").content.decode()
    assert f'action="/dispatch/tasks/{reported.pk}/accept/"' in html and f'action="/dispatch/tasks/{reported.pk}/return/"' in html
    response = act(squad, reported, "return", {"reason": ""})
    assert response.status_code == 200 and flash(response)[0][0] == "error"
    assert refresh(reported).status == Status.DISPATCHED
    response = act(squad, reported, "return", {"reason": "不属于本中队辖区"})
    assert ("success", "Task returned to the dispatcher.") in flash(response) and refresh(reported).status == Status.NEW

    act(dispatcher, reported, "dispatch", {"note": "确属东华门"})
    assert ("success", "Task accepted.") in flash(act(squad, reported, "accept"))
    assert ("success", "Arrival on site recorded.") in flash(act(field, reported, "arrive"))
    assert refresh(reported).status == Status.IN_PROGRESS and reported.owner == officer
    assert ("success", "Result reported; the task awaits verification.") in flash(act(field, reported, "feedback", {"result": "已劝离摊贩", "solved": "yes"}))

    response = act(dispatcher, reported, "verify", {"decision": "reject", "reason": ""})
    assert [level for level, _text in flash(response)] == ["error"] and refresh(reported).status == Status.FEEDBACK
    response = act(dispatcher, reported, "verify", {"decision": "reject", "reason": "照片不清楚"})
    assert ("success", "Task sent back for handling.") in flash(response) and refresh(reported).status == Status.IN_PROGRESS
    act(field, reported, "feedback", {"result": "已劝离并补充照片", "solved": "yes"})
    response = act(dispatcher, reported, "verify", {"decision": "approve", "rating": "satisfied"})
    assert ("success", "Task closed.") in flash(response)
    reported = refresh(reported)
    assert reported.status == Status.CLOSED and reported.satisfied is True
    html = response.content.decode()
    assert "Actions" not in html  # nothing left to do on a closed task
    assert "verify" in html and "已劝离并补充照片" in html


@pytest.mark.django_db
def test_an_illegal_step_shows_the_services_message_not_a_500(reported, insider, officer, leader):
    response = act(client_for(officer), reported, "accept")
    assert response.status_code == 200
    [(level, text)] = flash(response)
    assert level == "error" and "accept" in text
    assert refresh(reported).status == Status.NEW
    # The dispatcher cannot verify a task that has not been handled.
    response = act(client_for(insider), reported, "verify", {"decision": "approve"})
    assert flash(response)[0][0] == "error"
    # A squad leader is not a dispatcher.
    response = act(client_for(leader), reported, "dispatch", {})
    assert flash(response)[0][0] == "error" and refresh(reported).status == Status.NEW
    # An unknown action is not found.
    assert client_for(insider).post(f"/dispatch/tasks/{reported.pk}/explode/").status_code == 404
    assert client_for(insider).get(f"/dispatch/tasks/{reported.pk}/dispatch/").status_code == 405


@pytest.mark.django_db
def test_dispatch_with_an_overridden_organisation_needs_a_note(reported, insider):
    other = Organization.objects.get(name="东城区城市管理综合行政执法局")
    web = client_for(insider)
    response = act(web, reported, "dispatch", {"organization": other.pk, "note": ""})
    assert flash(response)[0][0] == "error" and refresh(reported).status == Status.NEW
    response = act(web, reported, "dispatch", {"organization": other.pk, "note": "涉及多个街道"})
    reported = refresh(reported)
    assert reported.status == Status.DISPATCHED and reported.organization == other and "涉及多个街道" in reported.route_reason


@pytest.mark.django_db
def test_defer_approve_and_write_off_through_the_forms(reported, insider, leader, officer):
    services.task_dispatch(user=insider, task=reported)
    services.task_accept(user=leader, task=reported)
    field = client_for(officer)
    response = act(field, reported, "defer", {"plan": "协调产权单位拆除", "target_date": timezone.localdate().isoformat()})
    assert flash(response)[0][0] == "error" and refresh(reported).status == Status.ACCEPTED
    target = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    response = act(field, reported, "defer", {"plan": "协调产权单位拆除", "target_date": target})
    assert ("success", "Task put on the ledger.") in flash(response) and refresh(reported).status == Status.DEFERRED
    deferral = Deferral.objects.get(task=reported)
    assert "协调产权单位拆除" in response.content.decode()

    assert ("success", "Deferral approved.") in flash(act(client_for(leader), reported, "approve-deferral", {"deferral": deferral.pk}))
    response = act(field, reported, "write-off", {"deferral": deferral.pk, "result": "已拆除"})
    assert ("success", "Written off; the task awaits verification.") in flash(response)
    assert refresh(reported).status == Status.FEEDBACK
    response = act(field, reported, "write-off", {"deferral": deferral.pk, "result": "again"})
    assert flash(response)[0][0] == "error"


@pytest.fixture
def street_office_user(db):
    from apps.accounts import services as account_services

    office = Organization.objects.get(name="东华门街道办事处")
    member = account_services.user_ensure(user=None, username="dhm_office", password="x-test-pass", display_name="东华门街道办")
    account_services.membership_grant(user=None, member=member, organization=office, role=Role.OFFICER)
    return User.objects.get(pk=member.pk)


@pytest.mark.django_db
def test_a_street_office_blows_the_whistle_and_a_department_reports_in(reported, street_office_user, insider):
    from apps.accounts import services as account_services

    web = client_for(street_office_user)
    page = web.get(f"/dispatch/tasks/{reported.pk}/")
    assert page.status_code == 200
    choices = list(page.context["action_forms"]["whistle"].fields["departments"].queryset)
    department = Organization.objects.get(name="东城区城市管理委员会")
    assert department in choices and all(o.region.code.startswith("110101") for o in choices)
    assert client_for(insider).get(f"/dispatch/tasks/{reported.pk}/").context["action_forms"]["whistle"] is None

    response = act(web, reported, "whistle", {"departments": [], "reason": "占道严重"})
    assert flash(response)[0][0] == "error"
    response = act(web, reported, "whistle", {"departments": [department.pk], "reason": "占道严重，需城管委到场", "minutes": 30})
    assert ("success", "Whistle blown; the departments have been summoned.") in flash(response)
    summons = WhistleSummons.objects.get(whistle__task=reported, department=department)
    assert "占道严重，需城管委到场" in response.content.decode()

    member = account_services.user_ensure(user=None, username="dc_cgw", password="x-test-pass", display_name="城管委值班")
    account_services.membership_grant(user=None, member=member, organization=department, role=Role.OFFICER)
    dept = client_for(User.objects.get(pk=member.pk))
    assert f'action="/dispatch/tasks/{reported.pk}/report-in/"' in dept.get(f"/dispatch/tasks/{reported.pk}/").content.decode()
    assert ("success", "Reported in.") in flash(act(dept, reported, "report-in", {"summons": summons.pk}))
    summons.refresh_from_db()
    assert summons.reported_by_id == member.pk and summons.late_minutes == 0


@pytest.mark.django_db
def test_the_dispatcher_merges_or_keeps_a_suggested_duplicate(reported, insider, dhm_point):
    # Same place, same time, same phone, other words: suggested, not merged at once.
    second = services.task_intake(
        user=insider, source=Source.HOTLINE, description="有人反映这里晚上施工太吵", point=dhm_point, reporter_phone="13800001111",
    ).report
    suggestion = DuplicateCandidate.objects.filter(task=second, candidate=reported).first()
    if suggestion is None or suggestion.decision != DuplicateCandidate.Decision.SUGGESTED:
        pytest.skip("the dedup scores did not produce a suggestion for this pair")
    web = client_for(insider)
    html = web.get(f"/dispatch/tasks/{second.pk}/").content.decode()
    assert reported.number in html and "Merge into it" in html
    assert [t.suggestion_count for t in web.get(f"/dispatch/?q={second.number}").context["tasks"]] == [1]
    response = act(web, second, "decide", {"candidate": suggestion.pk, "merge": "0"})
    assert ("success", "Kept as a separate task.") in flash(response)
    response = act(web, second, "decide", {"candidate": suggestion.pk, "merge": "1"})
    assert flash(response)[0][0] == "error"  # already decided

    third = services.task_intake(
        user=insider, source=Source.HOTLINE, description="夜里有施工噪音扰民", point=dhm_point, reporter_phone="13800001111",
    ).report
    suggestion = DuplicateCandidate.objects.filter(task=third, candidate=reported, decision=DuplicateCandidate.Decision.SUGGESTED).first()
    if suggestion is not None:
        response = act(web, third, "decide", {"candidate": suggestion.pk, "merge": "1"})
        assert ("success", f"Merged into {reported.number}.") in flash(response)
        assert refresh(third).status == Status.MERGED
        assert third.number in web.get(f"/dispatch/tasks/{reported.pk}/").content.decode()


@pytest.mark.django_db
def test_the_overdue_board_groups_alerted_tasks_by_organisation(reported, insider, outsider):
    # Overdue is read from the deadline now (apps.dispatch.overdue), not from the sweep's stored alert.
    Task.objects.filter(pk=reported.pk).update(deadline=timezone.now() - dt.timedelta(minutes=5))
    response = client_for(insider).get("/dispatch/overdue/")
    html = response.content.decode()
    assert response.status_code == 200 and reported.number in html and reported.organization.name in html
    group = next(g for g in response.context["groups"] if g["organization"] == reported.organization)
    assert group["red"] >= 1
    assert reported.number not in client_for(outsider).get("/dispatch/overdue/").content.decode()
    assert reported.pk in [t.pk for t in client_for(insider).get("/dispatch/?alert=red").context["tasks"]]


def _spread_tasks(user, count):
    """Tasks at distinct communities of 东城, so none is a duplicate of another."""
    communities = list(Region.objects.filter(code__startswith="110101", level=Region.Level.COMMUNITY).order_by("code")[:count])
    assert len(communities) >= count
    for i, community in enumerate(communities):
        services.task_intake(user=user, source=Source.DISPATCHER, description=f"第{i}号测试问题：{community.name}附近", point=community.boundary.point_on_surface)


# The seeded demo city may hold tasks of its own: the query-count tests look at theirs only.
MINE = "/dispatch/?q=号测试问题"


@pytest.mark.django_db
def test_the_queue_needs_the_same_few_queries_for_one_task_or_a_full_page(insider):
    web = client_for(insider)
    web.get(MINE)  # warm the session and the content types
    _spread_tasks(insider, 2)
    with CaptureQueriesContext(connection) as few:
        assert len(web.get(MINE).context["tasks"]) == 2
    _spread_tasks(insider, 30)
    with CaptureQueriesContext(connection) as many:
        assert len(web.get(MINE).context["tasks"]) == 25
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


@pytest.mark.django_db
def test_the_queue_query_count_is_pinned(insider, django_assert_max_num_queries):
    _spread_tasks(insider, 30)
    web = client_for(insider)
    with django_assert_max_num_queries(10):
        response = web.get(MINE + "&page=2")
    assert len(response.context["tasks"]) == 5


@pytest.mark.django_db
def test_the_task_page_has_no_n_plus_one(reported, insider, dhm_point, django_assert_max_num_queries):
    for i in range(4):
        services.task_intake(user=insider, source=Source.HOTLINE, description="东华门大街有流动摊贩占道经营，影响通行", point=dhm_point,
                             category=reported.category, reporter_phone=f"1390000000{i}")
    web = client_for(insider)
    with django_assert_max_num_queries(30):
        assert web.get(f"/dispatch/tasks/{reported.pk}/").status_code == 200
