"""The supervision pages with the five callers: the queue and the item page for staff of the jurisdiction, 404 for
another's item, 403 for citizens and merchants, the login page for the anonymous; the actions and the create form."""
import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from apps.supervision import services
from apps.supervision.models import Status
from tests.personas import five_callers

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def callers(bureau):
    return five_callers(role="supervisor", organization=bureau)


@pytest.fixture
def item(callers, squad):
    return services.item_create(user=callers.insider, title="页面督办测试", organization=squad)


def test_the_queue_and_the_item_page_with_the_five_callers(callers, item):
    for name, user in callers.items():
        client = client_for(user)
        queue, page = client.get("/supervision/"), client.get(f"/supervision/{item.pk}/")
        if user is None:
            assert queue.status_code == 302 and "/accounts/login/" in queue["Location"]
            assert page.status_code == 302
        elif name in ("citizen", "merchant"):
            assert (queue.status_code, page.status_code) == (403, 403), name
        elif name == "outsider":
            assert queue.status_code == 200 and item.number not in queue.content.decode()
            assert page.status_code == 404
        else:
            assert queue.status_code == 200 and item.number in queue.content.decode()
            assert page.status_code == 200 and "supervision-item-action" not in page.content.decode()
            assert f"/supervision/{item.pk}/dispatch/" in page.content.decode()


def test_the_filters_pick_by_status_alert_and_source(callers, item):
    client = client_for(callers.insider)
    assert item.number in client.get("/supervision/", {"status": "signed", "source": "manual"}).content.decode()
    assert item.number not in client.get("/supervision/", {"status": "closed"}).content.decode()
    assert item.number not in client.get("/supervision/", {"alert": "red"}).content.decode()
    assert item.number in client.get("/supervision/", {"alert": "none"}).content.decode()


def test_actions_are_posted_from_the_page_and_an_outsider_is_told_not_found(callers, item, squad):
    outsider = client_for(callers.outsider)
    assert outsider.post(f"/supervision/{item.pk}/dispatch/", {}).status_code == 404
    insider = client_for(callers.insider)
    response = insider.post(f"/supervision/{item.pk}/dispatch/", {"note": "请办理"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == Status.DISPATCHED
    unit = client_for(five_callers(role="officer", organization=squad).insider)
    page = unit.get(f"/supervision/{item.pk}/").content.decode()
    assert f"/supervision/{item.pk}/handle/" in page
    unit.post(f"/supervision/{item.pk}/handle/", {"result": "已整改完毕"})
    item.refresh_from_db()
    assert item.status == Status.HANDLED


def test_the_create_form_is_for_supervisors_and_leaders(callers, squad):
    insider = client_for(callers.insider)
    assert insider.get("/supervision/new/").status_code == 200
    response = insider.post("/supervision/new/", {"title": "表单督办", "organization": squad.pk, "deadline_days": 3})
    assert response.status_code == 302
    analyst = client_for(five_callers(role="analyst", organization=squad.parent or squad).insider)
    assert analyst.get("/supervision/new/").status_code == 404
    assert client_for(callers.outsider).post("/supervision/new/", {"title": "越区", "organization": squad.pk, "deadline_days": 3}).status_code == 200


def test_the_chinese_pages_show_no_english_words_or_codes(callers, item):
    client = client_for(callers.insider)
    with translation.override("zh-hans"):
        for url in ("/supervision/", f"/supervision/{item.pk}/", "/supervision/new/"):
            html = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
            main = re.sub(r"<[^>]+>", " ", html.split("<main", 1)[1].split(">", 1)[1].split("</main>", 1)[0])
            main = main.replace(str(callers.insider), "")  # a test user's name is data, not the page's words
            words = [w for w in re.findall(r"[A-Za-z]{3,}", main) if w not in {"DB"}]
            assert words == [], (url, words[:10])


def test_a_rule_item_page_in_chinese_names_its_parameters_and_values(callers, make_rule, report, places):
    rule = make_rule("task_overdue", hours=1)
    task = report(places[0])
    services.rule_scan(rule=rule, now=task.deadline + dt.timedelta(hours=2))
    item = rule.items.get(task=task)
    client = client_for(callers.insider)
    with translation.override("zh-hans"):
        html = client.get(f"/supervision/{item.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    main = re.sub(r"<[^>]+>", " ", html.split("<main", 1)[1].split(">", 1)[1].split("</main>", 1)[0])
    assert "超过期限的小时数" in main and "超期小时数" in main and task.number in main and "签收" in main
    assert [w for w in re.findall(r"[A-Za-z]{3,}", main.replace(task.number, "")) if w != "DB"] == []


def test_the_queue_asks_a_fixed_number_of_queries(callers, squad):
    client = client_for(callers.insider)
    services.item_create(user=callers.insider, title="队列查询1", organization=squad)
    client.get("/supervision/")
    with CaptureQueriesContext(connection) as few:
        client.get("/supervision/")
    for n in range(4):
        services.item_create(user=callers.insider, title=f"队列查询{n + 2}", organization=squad)
    with CaptureQueriesContext(connection) as more:
        client.get("/supervision/")
    assert len(more) == len(few)
