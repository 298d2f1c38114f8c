"""The data-protection officer's pages: the access log (filters, pages, masked export), the retention runs and rules,
and one person's data on request, for the five callers."""
import io
import json

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from apps.accounts.models import Role
from apps.dispatch.models import Task
from apps.gbcp.models import AccessLogEntry, Organization, Person, RetentionRun
from tests.personas import five_callers, user_with

pytestmark = pytest.mark.django_db
PHONE = "13912340000"


def web(user):
    client = Client(REMOTE_ADDR="10.9.8.7")
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def callers():
    city = Organization.objects.get(name="北京市城市管理综合行政执法局")
    return five_callers(role=Role.ADMINISTRATOR, organization=city)


@pytest.fixture
def entries(callers):
    now = timezone.now()
    rows = [AccessLogEntry(user=callers.insider, username="reader-a" if i % 2 else "reader-b", subject_type="dispatch.task",
                           subject_id=str(i), subject_label=f"task T{i:05d}", fields=["reporter_phone"], purpose="dispatch-task-detail",
                           path=f"/dispatch/tasks/{i}/", client_ip="192.168.10.77", at=now) for i in range(60)]
    AccessLogEntry.objects.bulk_create(rows)
    RetentionRun.objects.create(started_at=now, finished_at=now, status=RetentionRun.Status.FINISHED, triggered_by="beat",
                                counts={"dispatch.task_reporter": 7})
    return rows


def _expect_refused(name, response):
    if name == "anonymous":
        assert response.status_code == 302 and "/login" in response["Location"]
    elif name == "outsider":
        assert response.status_code == 404  # a district's administrator is not the bureau's DPO: like not there
    else:
        assert response.status_code == 403  # citizens and merchants: staff pages are not theirs


def test_the_access_log_page_for_the_five_callers(callers, entries):
    for name, user in callers.items():
        response = web(user).get("/accounts/privacy/")
        if name == "insider":
            body = response.content.decode()
            assert response.status_code == 200
            assert "task T00059" in body and "the reporter of a task: 7" in body and "a citizen party of archived cases" in body
            assert "dispatch.task_reporter" not in body and "reporter_phone" not in body  # words, not codes
        else:
            _expect_refused(name, response)


def test_the_log_filters_and_pages_keep_the_filter(callers, entries):
    client = web(callers.insider)
    body = client.get("/accounts/privacy/", {"reader": "reader-a"}).content.decode()
    assert "reader-b" not in body.split("<h2>")[1] and "reader-a" in body
    assert "reader=reader-a&amp;page=2" not in body  # 30 rows of reader-a fit one page of 50
    page_two = client.get("/accounts/privacy/", {"page": 2}).content.decode()
    assert "task T00009" in page_two and "task T00059" not in page_two
    assert "page=1" in page_two


def test_the_export_is_masked_and_filtered_for_the_dpo_only(callers, entries):
    response = web(callers.insider).get("/accounts/privacy/log.csv", {"reader": "reader-b"})
    text = response.content.decode("utf-8-sig")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    lines = text.strip().splitlines()
    assert len(lines) == 1 + 30 and "192.168.10.*" in text and "192.168.10.77" not in text and "reader-a" not in text
    for name, user in callers.others():
        _expect_refused(name, web(user).get("/accounts/privacy/log.csv"))


@pytest.fixture
def person_with_a_report():
    person = Person.objects.create(name="吴六", phone=PHONE, id_number="11010519491231002X", address="东城区东华门大街9号")
    task = Task.objects.filter(region_code__startswith="110101").order_by("id").first()
    Task.objects.filter(pk=task.pk).update(reporter_phone=PHONE, reporter_name="吴六")
    return person, task


def test_one_persons_data_is_exported_as_json_and_logged(callers, person_with_a_report):
    person, task = person_with_a_report
    response = web(callers.insider).post("/accounts/privacy/subject/", {"phone": PHONE, "file_format": "json"})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    records = json.loads(response.content)["records"]
    kinds = {(r["record"], r["id"]) for r in records}
    assert ("gbcp.person", str(person.pk)) in kinds and ("dispatch.task_reporter", str(task.pk)) in kinds
    assert any(PHONE in r["data"].values() for r in records)  # the person's own data, unmasked
    entry = AccessLogEntry.objects.get(user=callers.insider, subject_type="privacy.subject")
    assert PHONE not in entry.subject_label and entry.subject_label.endswith("0000") and "gbcp.person" in entry.fields
    assert entry.client_ip == "10.9.8.7"


def test_one_persons_data_by_id_number_as_a_workbook(callers, person_with_a_report):
    person, _task = person_with_a_report
    response = web(callers.insider).post("/accounts/privacy/subject/", {"id_number": person.id_number, "file_format": "xlsx"})
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) > 1 and any(person.id_number in [str(c) for c in row] for row in rows[1:])


def test_the_subject_export_asks_for_an_id_or_a_phone_and_refuses_the_others(callers):
    client = web(callers.insider)
    assert client.get("/accounts/privacy/subject/").status_code == 200
    response = client.post("/accounts/privacy/subject/", {"file_format": "json"})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    wrong_check_digit = client.post("/accounts/privacy/subject/", {"id_number": "110105194912310021", "file_format": "json"})
    assert wrong_check_digit.status_code == 200 and "errorlist" in wrong_check_digit.content.decode()
    assert not AccessLogEntry.objects.filter(subject_type="privacy.subject").exists()  # nothing searched, nothing logged
    for name, user in callers.others():
        _expect_refused(name, web(user).post("/accounts/privacy/subject/", {"phone": PHONE, "file_format": "json"}))
    assert not AccessLogEntry.objects.filter(subject_type="privacy.subject").exists()


def test_a_dpo_named_by_permission_needs_no_administrator_role():
    from django.contrib.auth.models import Permission

    officer = user_with(name="dpo")
    officer.user_permissions.add(Permission.objects.get(codename="data_protection"))
    squad = Organization.objects.filter(region__code__startswith="110101").order_by("pk").first()
    from apps.accounts import services as account_services

    account_services.membership_grant(user=None, member=officer, organization=squad, role=Role.SUPERVISOR)
    assert web(officer).get("/accounts/privacy/").status_code == 200
