"""The dispatcher names the officer in charge, and hears when feedback awaits verification (issue 13)."""
import pytest
from django.conf import settings as django_settings
from django.test import Client

from apps.accounts.models import User
from apps.dispatch import services
from apps.dispatch.models import Source, Status, TaskLog
from apps.gbcp.errors import ApplicationError
from apps.realtime.models import Notification


def client_for(user):
    web = Client()
    web.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    web.force_login(user)
    return web


@pytest.fixture
def reported(db, insider, dhm_point, vendor_category):
    return services.task_intake(user=insider, source=Source.DISPATCHER, description="东华门大街流动摊贩占道经营",
                                point=dhm_point, category=vendor_category).task


@pytest.mark.django_db
def test_the_named_officer_becomes_the_officer_in_charge_and_is_told_in_person(reported, insider):
    officer = User.objects.get(username="dhm_officer2")
    services.task_dispatch(user=insider, task=reported, officer_id=officer.pk)
    reported.refresh_from_db()
    assert reported.status == Status.DISPATCHED and reported.owner == officer
    entry = TaskLog.objects.filter(task=reported, action="dispatch").get()
    assert entry.data["officer"] == (officer.get_full_name() or officer.username)
    assert Notification.objects.filter(recipient=officer, event="task.dispatched", link=f"/dispatch/tasks/{reported.pk}/").exists()


@pytest.mark.django_db
def test_an_officer_of_another_team_or_district_or_a_citizen_is_refused_and_nothing_changes(reported, insider):
    for username in ("hd_dispatcher", "citizen", "merchant", "dc_dispatcher"):
        person = User.objects.get(username=username)
        with pytest.raises(ApplicationError) as refused:
            services.task_dispatch(user=insider, task=reported, officer_id=person.pk)
        assert refused.value.code == "invalid" and "officer" in refused.value.details
        reported.refresh_from_db()
        assert reported.status == Status.NEW and reported.owner_id is None
    with pytest.raises(ApplicationError):
        services.task_dispatch(user=insider, task=reported, officer_id=10**9)


@pytest.mark.django_db
def test_the_dispatch_form_offers_the_teams_officers_grouped_with_a_search_box_and_takes_the_choice(reported, insider):
    officer = User.objects.get(username="dhm_officer1")
    web = client_for(insider)
    page = web.get(f"/dispatch/tasks/{reported.pk}/").content.decode()
    assert 'data-search="people"' in page and "<optgroup" in page and f'value="{officer.pk}"' in page
    assert "hd_" not in page  # no officer of 海淀 is offered
    response = web.post(f"/dispatch/tasks/{reported.pk}/dispatch/", {"officer": officer.pk, "note": ""}, follow=True)
    assert response.status_code == 200
    reported.refresh_from_db()
    assert reported.owner == officer and reported.status == Status.DISPATCHED
    outsider_officer = User.objects.get(username="hd_dispatcher")
    response = web.post(f"/dispatch/tasks/{reported.pk}/dispatch/", {"officer": outsider_officer.pk}, follow=True)
    reported.refresh_from_db()
    assert reported.owner == officer  # unchanged


@pytest.mark.django_db
def test_feedback_tells_the_districts_dispatchers_that_it_awaits_verification_and_no_one_else(reported, insider):
    officer = User.objects.get(username="dhm_officer1")
    services.task_dispatch(user=insider, task=reported)
    services.task_accept(user=officer, task=reported)
    services.task_feedback(user=officer, task=reported, result="已劝离，现场恢复通行")
    ours = Notification.objects.filter(event="task.feedback", link=f"/dispatch/tasks/{reported.pk}/")
    told = set(ours.values_list("recipient__username", flat=True))
    assert "dc_dispatcher" in told
    assert not told & {"hd_dispatcher", "citizen", "merchant", "dhm_officer1"}
    assert reported.number in ours.get(recipient=insider).title
