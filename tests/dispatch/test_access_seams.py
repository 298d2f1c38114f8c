"""Every key a caller sends resolves in what the caller may see or choose: "not yours" answers exactly like
"not there", for the five callers, on the task URLs, the summons URLs and the organisations a body names."""
import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.dispatch import services
from apps.dispatch.models import Source, Status
from apps.gbcp.models import Organization
from tests.personas import five_callers, user_with

MISSING = 999999999


@pytest.fixture
def task(db, dhm_point, vendor_category):
    dispatcher = User.objects.get(username="dc_dispatcher")
    return services.task_intake(user=dispatcher, source=Source.DISPATCHER, description="接口边界：东华门大街占道经营", point=dhm_point,
                                category=vendor_category).report


def brigade_of(task):
    return Organization.objects.get(region__code=task.region_code[:6], kind=Organization.Kind.ENFORCEMENT_TEAM)


def accepted(task):
    services.task_dispatch(user=User.objects.get(username="dc_dispatcher"), task=task)
    services.task_accept(user=User.objects.get(username="dhm_leader"), task=task)
    task.refresh_from_db()
    return task


def page_client(user):
    web = Client()
    web.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    if user is not None:
        web.force_login(user)
    return web


@pytest.mark.django_db
def test_a_task_url_answers_the_outsider_citizen_and_merchant_as_if_the_task_did_not_exist(api_as, task):
    callers = five_callers(role=Role.DISPATCHER, organization=brigade_of(task))
    assert api_as(callers.insider).get(f"/api/dispatch/tasks/{task.pk}/").status_code == 200
    assert page_client(callers.insider).get(f"/dispatch/tasks/{task.pk}/").status_code == 200
    for who, user in callers.others():
        for url in ("/api/dispatch/tasks/{}/", "/dispatch/tasks/{}/"):
            client = api_as(user) if url.startswith("/api/") else page_client(user)
            theirs, missing = client.get(url.format(task.pk)), client.get(url.format(MISSING))
            assert theirs.status_code == missing.status_code and theirs.status_code in (401, 403, 404, 302), (who, url)
        api = api_as(user)
        assert api.post(f"/api/dispatch/tasks/{task.pk}/accept/").status_code == api.post(f"/api/dispatch/tasks/{MISSING}/accept/").status_code
    task.refresh_from_db()
    assert task.status == Status.NEW


@pytest.mark.django_db
def test_a_referral_to_an_organisation_of_another_district_is_refused_like_one_that_does_not_exist(api_as, task):
    task = accepted(task)
    callers = five_callers(role=Role.OFFICER, organization=task.organization)
    elsewhere = Organization.objects.filter(is_active=True).exclude(region__code__startswith=task.region_code[:6]).order_by("pk").first()
    insider = api_as(callers.insider)
    url = f"/api/dispatch/tasks/{task.pk}/refer/"
    answers = []
    for pk in (elsewhere.pk, MISSING):
        refused = insider.post(url, {"organization": pk, "reason": "不归我们管"}, format="json")
        assert refused.status_code == 400
        answers.append(refused.content.decode().replace(str(pk), "<pk>"))
    assert answers[0] == answers[1] and "organization" in answers[0]
    squad = task.organization_id
    task.refresh_from_db()
    assert task.status == Status.ACCEPTED and task.organization_id == squad
    for who, user in callers.others():
        expected = 401 if user is None else 404
        assert api_as(user).post(url, {"organization": elsewhere.pk, "reason": "x"}, format="json").status_code == expected, who
    department = Organization.objects.get(name="东城区城市管理委员会")
    assert insider.post(url, {"organization": department.pk, "reason": "设施维修归城管委"}, format="json").status_code == 200


@pytest.mark.django_db
def test_the_dispatch_form_refuses_an_organisation_of_another_district_like_one_that_does_not_exist(task):
    dispatcher = user_with(role=Role.DISPATCHER, organization=brigade_of(task))
    elsewhere = Organization.objects.filter(is_active=True).exclude(region__code__startswith=task.region_code[:6]).order_by("pk").first()
    web = page_client(dispatcher)
    answers = []
    for pk in (elsewhere.pk, MISSING):
        response = web.post(f"/dispatch/tasks/{task.pk}/dispatch/", {"organization": pk, "note": "试试别的区"}, follow=True)
        answers.append([(m.level_tag, str(m)) for m in response.context["messages"]])
    assert answers[0] == answers[1] and answers[0][0][0] == "error"
    task.refresh_from_db()
    assert task.status == Status.NEW


@pytest.mark.django_db
def test_a_deferral_of_another_task_is_not_found_on_this_tasks_page(task, dhm_point, vendor_category):
    task = accepted(task)
    leader = User.objects.get(username="dhm_leader")
    other = accepted(services.task_intake(user=User.objects.get(username="dc_dispatcher"), source=Source.DISPATCHER,
                                          description="另一处：东单北大街堆物堆料", point=dhm_point, category=vendor_category).report)
    deferral = services.task_defer(user=leader, task=other, plan="协调清运", target_date=timezone.localdate() + dt.timedelta(days=10))
    web = page_client(leader)
    assert web.post(f"/dispatch/tasks/{task.pk}/approve-deferral/", {"deferral": deferral.pk}).status_code == 404
    assert web.post(f"/dispatch/tasks/{task.pk}/approve-deferral/", {"deferral": MISSING}).status_code == 404
    deferral.refresh_from_db()
    assert deferral.approved_by is None


@pytest.mark.django_db
def test_a_summons_of_another_department_answers_like_one_that_does_not_exist(api_as, task):
    office, department = Organization.objects.get(name="东华门街道办事处"), Organization.objects.get(name="东城区城市管理委员会")
    blower = user_with(role=Role.LEADER, organization=office, name="blower")
    summons = services.whistle_blow(user=blower, task=task, departments=[department], reason="需城管委到场").summonses.get()
    callers = five_callers(role=Role.OFFICER, organization=department)
    for who, user in callers.others():
        api = api_as(user)
        theirs = api.post(f"/api/dispatch/summonses/{summons.pk}/report-in/")
        assert theirs.status_code == api.post(f"/api/dispatch/summonses/{MISSING}/report-in/").status_code == (401 if user is None else 404), who
        if user is not None:
            assert api.get("/api/dispatch/summonses/").json()["count"] == 0, who
    done = api_as(callers.insider).post(f"/api/dispatch/summonses/{summons.pk}/report-in/")
    assert done.status_code == 200 and done.json()["reported_at"]
