"""The joint operation pages with the five callers: planners of the jurisdiction and participants see it, another
district's planner gets 404, citizens and merchants 403, the anonymous the login page; a participant checks in and
records a finding from the page; the list asks a fixed number of queries."""
import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from apps.accounts.models import User
from apps.coordination import services
from apps.coordination.models import JointOperation, OperationStatus
from apps.gbcp import services as gbcp_services
from apps.gbcp.models import Category
from tests.personas import five_callers

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def duty(db):
    return Category.objects.filter(is_active=True).exclude(deadline_unit="").order_by("code").first()


@pytest.fixture
def callers(squad):
    return five_callers(role="squad_leader", organization=squad)


def _plan(callers, squad, market, duty, officer, title="页面联合整治"):
    market = gbcp_services.organization_upsert(user=None, name=market.name, kind=market.kind, level=market.level, region=market.region, duties=[duty])
    now = timezone.now()
    return services.operation_create(user=callers.insider, organization=squad, title=title, purpose="整治", region=squad.region,
                                     starts_at=now - dt.timedelta(hours=1), ends_at=now + dt.timedelta(hours=2),
                                     departments=[(market, [duty])], participants=[officer])


@pytest.fixture
def officer(db):
    return User.objects.get(username="dhm_officer1")


@pytest.fixture
def operation(callers, squad, market, duty, officer):
    return _plan(callers, squad, market, duty, officer)


def test_the_list_and_the_page_with_the_five_callers(callers, operation):
    for name, user in callers.items():
        client = client_for(user)
        listing, page = client.get("/coordination/operations/"), client.get(f"/coordination/operations/{operation.pk}/")
        if user is None:
            assert listing.status_code == 302 and "/accounts/login/" in listing["Location"] and page.status_code == 302
        elif name in ("citizen", "merchant"):
            assert (listing.status_code, page.status_code) == (403, 403), name
        elif name == "outsider":
            assert listing.status_code == 200 and operation.title not in listing.content.decode()
            assert page.status_code == 404
            assert client.post(f"/coordination/operations/{operation.pk}/cancel/", {"reason": "x"}).status_code == 404
        else:
            assert listing.status_code == 200 and operation.title in listing.content.decode()
            assert page.status_code == 200 and f"/coordination/operations/{operation.pk}/report/" not in page.content.decode()
            assert f"/coordination/operations/{operation.pk}/cancel/" in page.content.decode()
    operation.refresh_from_db()
    assert operation.status == OperationStatus.PLANNED


def test_a_participant_checks_in_and_records_a_finding_from_the_page(operation, officer, duty):
    client = client_for(officer)
    page = client.get(f"/coordination/operations/{operation.pk}/").content.decode()
    assert f"/coordination/operations/{operation.pk}/check-in/" in page and "/cancel/" not in page
    assert client.post(f"/coordination/operations/{operation.pk}/check-in/", {}).status_code == 302
    client.post(f"/coordination/operations/{operation.pk}/finding/", {"outcome": "task", "description": ""})  # no description: nothing
    assert operation.findings.count() == 0
    client.post(f"/coordination/operations/{operation.pk}/finding/", {"outcome": "task", "description": "无证经营", "category": duty.pk})
    assert operation.findings.count() == 1 and operation.findings.get().task_id
    assert operation.attendance.get(user=officer).checked_in_at is not None


def test_the_list_asks_a_fixed_number_of_queries(callers, squad, market, duty, officer):
    client = client_for(callers.insider)
    _plan(callers, squad, market, duty, officer, title="查询1")
    client.get("/coordination/operations/")
    with CaptureQueriesContext(connection) as few:
        client.get("/coordination/operations/")
    for n in range(3):
        _plan(callers, squad, market, duty, officer, title=f"查询{n + 2}")
    with CaptureQueriesContext(connection) as more:
        client.get("/coordination/operations/")
    assert len(more) == len(few)


def test_planners_plan_from_the_page_others_get_404_and_bad_input_changes_nothing(callers, squad, market, duty, officer):
    market = gbcp_services.organization_upsert(user=None, name=market.name, kind=market.kind, level=market.level, region=market.region, duties=[duty])
    insider = client_for(callers.insider)
    assert insider.get("/coordination/operations/new/").status_code == 200
    data = {"organization": squad.pk, "title": "页面计划", "purpose": "整治", "region": squad.region.pk, "starts_at": "2026-12-01T09:00",
            "ends_at": "2026-12-01T12:00", "duties": [f"{market.pk}:{duty.pk}"], "participants": [officer.pk]}
    assert insider.post("/coordination/operations/new/", {**data, "ends_at": "2026-12-01T08:00"}).status_code == 200
    assert not JointOperation.objects.filter(title="页面计划").exists()
    assert insider.post("/coordination/operations/new/", data).status_code == 302
    operation = JointOperation.objects.get(title="页面计划")
    assert [row.department for row in operation.departments.all()] == [market] and operation.attendance.get().user == officer
    assert client_for(officer).get("/coordination/operations/new/").status_code == 404
    assert client_for(callers.outsider).post("/coordination/operations/new/", {**data, "title": "越区"}).status_code in (200, 404)
    assert not JointOperation.objects.filter(title="越区").exists()


def test_the_chinese_pages_show_no_english_words_or_codes(callers, operation):
    client = client_for(callers.insider)
    with translation.override("zh-hans"):
        for url in ("/coordination/operations/", f"/coordination/operations/{operation.pk}/", "/coordination/operations/new/"):
            html = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
            main = re.sub(r"<[^>]+>", " ", html.split("<main", 1)[1].split(">", 1)[1].split("</main>", 1)[0])
            main = main.replace(str(callers.insider), "")
            words = [w for w in re.findall(r"[A-Za-z]{3,}", main)]
            assert words == [], (url, words[:10])
