"""Escalation of a task being handled to an enforcement case: service, API (insider, outsider, anonymous) and the task page button."""
import pytest

from apps.accounts.models import User
from apps.dispatch import services
from apps.dispatch.models import Source
from apps.gbcp.errors import ApplicationError


@pytest.fixture
def handled_task(db, insider, dhm_point, vendor_category):
    task = services.task_intake(user=insider, source=Source.CITIZEN, description="东华门大街有人占道经营", point=dhm_point, category=vendor_category).task
    services.task_dispatch(user=insider, task=task)
    services.task_accept(user=User.objects.get(username="dhm_leader"), task=task)
    return task


@pytest.mark.django_db
def test_an_officer_escalates_a_task_being_handled_once(handled_task):
    officer = User.objects.get(username="dhm_officer1")
    case = services.task_escalate(user=officer, task=handled_task, facts="现场发现占道经营")
    assert case.task == handled_task and case.source == "task" and case.source_ref == handled_task.number
    assert case.status == "pending_filing" and case.organization_id == handled_task.organization_id and case.owner == officer
    assert handled_task.logs.filter(action="escalate", data__case=case.number).exists()
    with pytest.raises(ApplicationError) as again:
        services.task_escalate(user=officer, task=handled_task)
    assert again.value.code == "already_escalated" and again.value.status_code == 409


@pytest.mark.django_db
def test_a_task_not_being_handled_cannot_be_escalated(insider, dhm_point, vendor_category):
    task = services.task_intake(user=insider, source=Source.CITIZEN, description="占道经营", point=dhm_point, category=vendor_category).task
    services.task_dispatch(user=insider, task=task)
    with pytest.raises(ApplicationError) as refused:
        services.task_escalate(user=User.objects.get(username="dhm_officer1"), task=task)
    assert refused.value.status_code == 409


@pytest.mark.django_db
def test_the_escalate_endpoint_insider_outsider_anonymous(api, api_as, insider, outsider, handled_task):
    url = f"/api/dispatch/tasks/{handled_task.pk}/escalate/"
    assert api.post(url, {}, format="json").status_code == 401
    assert api_as(outsider).post(url, {}, format="json").status_code == 404
    assert api_as(User.objects.get(username="zgc_officer")).post(url, {}, format="json").status_code == 404
    # A dispatcher of the district sees the task but does not handle it.
    assert api_as(insider).post(url, {}, format="json").status_code == 403
    unknown = api_as(User.objects.get(username="dhm_officer1")).post(url, {"cause": "NO-SUCH"}, format="json")
    assert unknown.status_code == 404
    done = api_as(User.objects.get(username="dhm_officer1")).post(url, {"facts": "占道经营，拒不改正"}, format="json")
    assert done.status_code == 200 and done.json()["logs"][-1]["action"] == "escalate"


@pytest.mark.django_db
def test_the_task_page_offers_the_button_and_then_links_the_case(client, handled_task):
    client.force_login(User.objects.get(username="dhm_officer1"))
    page = client.get(f"/dispatch/tasks/{handled_task.pk}/").content.decode()
    assert f"/dispatch/tasks/{handled_task.pk}/escalate/" in page
    response = client.post(f"/dispatch/tasks/{handled_task.pk}/escalate/")
    assert response.status_code == 302
    from apps.cases.selectors import case_for_task

    case = case_for_task(task=handled_task)
    page = client.get(f"/dispatch/tasks/{handled_task.pk}/").content.decode()
    assert f"/cases/{case.pk}/" in page and f"/dispatch/tasks/{handled_task.pk}/escalate/" not in page
