""""Overdue" is computed from the deadline at read time: a task past its deadline whose stored alert is still empty
(the sweep never ran) shows as overdue on the board, in the queue filter, in the API and in the admin."""
import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone

from apps.dispatch import overdue, selectors, services
from apps.dispatch.models import Source, Status, Task


def web_as(user):
    web = Client()
    web.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    web.force_login(user)
    return web


def new_task(user, point, category, text):
    return services.task_intake(user=user, source=Source.DISPATCHER, description=text, point=point, category=category).task


def set_times(task, *, received_hours_ago, deadline_in_hours, alert=""):
    now = timezone.now()
    Task.objects.filter(pk=task.pk).update(
        received_at=now - dt.timedelta(hours=received_hours_ago), deadline=now + dt.timedelta(hours=deadline_in_hours), alert=alert)
    task.refresh_from_db()
    return task


@pytest.fixture
def late(db, insider, dhm_point, vendor_category):
    """Past its deadline by an hour; the sweep never ran, so the stored alert is empty."""
    return set_times(new_task(insider, dhm_point, vendor_category, "东华门大街有流动摊贩占道经营，影响通行"), received_hours_ago=10, deadline_in_hours=-1)


@pytest.fixture
def nearly(db, insider, tiananmen, vendor_category):
    """Ten of eleven hours used (more than four fifths): yellow."""
    return set_times(new_task(insider, tiananmen, vendor_category, "天安门东侧有人乱扔垃圾，请清理"), received_hours_ago=10, deadline_in_hours=1)


@pytest.mark.django_db
def test_the_board_shows_a_task_past_its_deadline_although_the_sweep_never_ran(insider, outsider, late, nearly):
    assert late.alert == "" and nearly.alert == ""
    response = web_as(insider).get("/dispatch/overdue/")
    html = response.content.decode()
    assert response.status_code == 200 and late.number in html and nearly.number in html
    assert "Nothing overdue" not in html
    tasks = {t.pk: t for g in response.context["groups"] for t in g["tasks"]}
    assert tasks[late.pk].deadline_state == "red" and tasks[nearly.pk].deadline_state == "yellow"
    group = next(g for g in response.context["groups"] if g["organization"] == late.organization)
    assert group["red"] >= 1
    assert late.number not in web_as(outsider).get("/dispatch/overdue/").content.decode()


@pytest.mark.django_db
def test_the_queue_filter_and_badges_follow_the_deadline(insider, late, nearly):
    web = web_as(insider)
    red = [t.pk for t in web.get("/dispatch/?alert=red").context["tasks"]]
    yellow = [t.pk for t in web.get("/dispatch/?alert=yellow").context["tasks"]]
    assert late.pk in red and nearly.pk not in red
    assert nearly.pk in yellow and late.pk not in yellow
    html = web.get(f"/dispatch/?q={late.number}").content.decode()
    assert 'class="alert-badge red"' in html


@pytest.mark.django_db
def test_the_api_says_red_and_filters_by_the_deadline(api_as, insider, late, nearly):
    client = api_as(insider)
    assert client.get(f"/api/dispatch/tasks/{late.pk}/").json()["alert"] == "red"
    assert client.get(f"/api/dispatch/tasks/{nearly.pk}/").json()["alert"] == "yellow"
    red = [row["id"] for row in client.get("/api/dispatch/tasks/", {"alert": "red", "page_size": 200}).json()["results"]]
    assert late.pk in red and nearly.pk not in red


@pytest.mark.django_db
def test_the_admin_list_shows_and_filters_overdue_from_the_deadline(admin_user, late, nearly):
    web = web_as(admin_user)

    def listed(**params):
        return [t.pk for t in web.get("/admin/dispatch/task/", params).context["cl"].result_list]

    response = web.get("/admin/dispatch/task/", {"deadline_state": "red", "q": late.number})
    assert [t.pk for t in response.context["cl"].result_list] == [late.pk] and "red: overdue" in response.content.decode()
    assert listed(deadline_state="red", q=nearly.number) == []
    assert listed(deadline_state="yellow", q=nearly.number) == [nearly.pk]


@pytest.mark.django_db
def test_counts_and_a_closed_or_merged_task_is_never_overdue(insider, late, nearly):
    counts = selectors.deadline_counts_for_user(user=insider)
    assert counts["red"] >= 1 and counts["yellow"] >= 1
    Task.objects.filter(pk=late.pk).update(status=Status.CLOSED)
    assert selectors.deadline_counts_for_user(user=insider)["red"] == counts["red"] - 1
    assert selectors.task_get_for_user(user=insider, id=late.pk).deadline_state == ""


@pytest.mark.django_db
@pytest.mark.parametrize("hours_used, expected", [(7.8, ""), (8.2, "yellow"), (10.0, "red"), (11.0, "red")])
def test_sql_and_python_agree_on_the_four_fifths_rule(insider, dhm_point, vendor_category, hours_used, expected):
    # Ten hours from receipt to deadline: yellow from eight hours on, red from ten.
    task = set_times(new_task(insider, dhm_point, vendor_category, "东华门大街夜间施工噪音扰民"), received_hours_ago=hours_used,
                     deadline_in_hours=10 - hours_used)
    annotated = selectors.task_list_for_user(user=insider).get(pk=task.pk)
    assert annotated.deadline_state == expected == overdue.state_of(task)


@pytest.mark.django_db
def test_the_sweep_still_notifies_once_and_pages_do_not_depend_on_it(insider, late):
    counts = services.deadlines_sweep()
    late.refresh_from_db()
    assert late.alert == "red" and counts["red"] >= 1
    assert services.deadlines_sweep()["red"] == 0  # notified once
    # The stored alert can lag or lead; pages read the deadline. A deadline moved into the future clears the badge.
    Task.objects.filter(pk=late.pk).update(deadline=timezone.now() + dt.timedelta(days=3))
    assert selectors.task_get_for_user(user=insider, id=late.pk).deadline_state == ""
