"""The access log of personal data read unmasked: who, whose, what, why, when, from where; one INSERT per request,
nothing for a viewer who saw it masked."""
import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.accounts.models import Role, User
from apps.cases.models import Case
from apps.dispatch.models import Task
from apps.gbcp.models import AccessLogEntry, Organization
from apps.gbcp.privacy import log_access
from tests.personas import user_with

pytestmark = pytest.mark.django_db


def page_client(user):
    web = Client(REMOTE_ADDR="10.1.2.3")
    web.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    web.force_login(user)
    return web


@pytest.fixture
def dc_task():
    task = Task.objects.filter(region_code__startswith="110101").exclude(reporter_phone="").order_by("id").first()
    if task is None:  # the demo city always has reports with a phone; make sure of it
        task = Task.objects.filter(region_code__startswith="110101").order_by("id").first()
        Task.objects.filter(pk=task.pk).update(reporter_name="周五", reporter_phone="13855556666")
        task.refresh_from_db()
    return task


@pytest.fixture
def dc_bureau():
    return Organization.objects.get(region__code="110101", kind=Organization.Kind.ENFORCEMENT_TEAM)


def test_a_leader_reading_a_task_unmasked_is_logged_with_whose_what_why_and_where(dc_task, dc_bureau):
    leader = user_with(role=Role.LEADER, organization=dc_bureau, name="leader")
    response = page_client(leader).get(f"/dispatch/tasks/{dc_task.pk}/")
    assert response.status_code == 200 and dc_task.reporter_phone in response.content.decode()

    entry = AccessLogEntry.objects.get(user=leader, subject_type="dispatch.task", subject_id=str(dc_task.pk))
    assert "phone" in entry.fields and entry.username == leader.username
    assert entry.purpose == "dispatch-task-detail" and entry.path == f"/dispatch/tasks/{dc_task.pk}/"
    assert entry.client_ip == "10.1.2.3" and dc_task.number in entry.subject_label
    assert dc_task.reporter_phone not in entry.subject_label and (dc_task.reporter_name or "—") not in entry.subject_label


def test_a_dispatcher_who_sees_it_masked_leaves_no_entry(dc_task, dc_bureau):
    dispatcher = user_with(role=Role.DISPATCHER, organization=dc_bureau, name="dispatcher")
    response = page_client(dispatcher).get(f"/dispatch/tasks/{dc_task.pk}/")
    assert response.status_code == 200 and dc_task.reporter_phone not in response.content.decode()
    assert not AccessLogEntry.objects.filter(user=dispatcher).exists()


def test_the_api_logs_what_its_masked_fields_showed_unmasked(dc_task, dc_bureau, api_as):
    leader = user_with(role=Role.LEADER, organization=dc_bureau, name="leader")
    response = api_as(leader).get(f"/api/dispatch/tasks/{dc_task.pk}/")
    assert response.status_code == 200 and response.json()["reporter_phone"] == dc_task.reporter_phone
    entry = AccessLogEntry.objects.get(user=leader, subject_type="dispatch.task", subject_id=str(dc_task.pk))
    assert "reporter_phone" in entry.fields and entry.purpose == "api-task-detail"


def test_a_list_page_writes_its_log_in_one_query_one_row_per_subject(monkeypatch):
    legal = User.objects.get(username="dc_legal")
    cases = Case.objects.filter(region_code__startswith="110101").exclude(party_name="")
    assert cases.count() >= 2  # the demo city's 东城 cases: a list with several parties
    client = page_client(legal)
    client.get("/cases/")  # warm the caches both runs share
    with monkeypatch.context() as patch:  # before: the page as it was without the access log
        patch.setattr("apps.gbcp.templatetags.masking.note_unmasked", lambda **kwargs: None)
        with CaptureQueriesContext(connection) as without_log:
            assert client.get("/cases/").status_code == 200
    AccessLogEntry.objects.filter(user=legal).delete()
    with CaptureQueriesContext(connection) as with_log:
        assert client.get("/cases/").status_code == 200
    inserts = [q["sql"] for q in with_log.captured_queries if "gbcp_accesslogentry" in q["sql"].lower()]
    assert len(with_log) == len(without_log) + 1 and len(inserts) == 1
    logged = AccessLogEntry.objects.filter(user=legal, purpose="cases-list")
    assert logged.count() >= 2 and logged.values("subject_type").distinct().count() == 1
    assert logged.count() == logged.values("subject_id").distinct().count()  # one row per case, not per field


def test_outside_a_request_each_call_writes_at_once(dc_task):
    admin = User.objects.get(username="admin")
    log_access(user=admin, subject=dc_task, what=("reporter_phone",), purpose="a job")
    entry = AccessLogEntry.objects.get(user=admin, purpose="a job")
    assert entry.fields == ["reporter_phone"] and entry.subject_id == str(dc_task.pk)


def test_anonymous_reads_are_never_logged(dc_task):
    log_access(user=None, subject=dc_task, what=("reporter_phone",), purpose="nobody")
    assert not AccessLogEntry.objects.filter(purpose="nobody").exists()
