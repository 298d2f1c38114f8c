"""A substantiated complaint counts against the business operating the place (issue 17: "complaint upheld" source):
the dispatcher confirms it on verification; credit records it once; without a known operator nothing changes."""
import pytest
from django.conf import settings as django_settings
from django.test import Client

from apps.accounts.models import User
from apps.credit.models import CreditRecord
from apps.dispatch import services
from apps.dispatch.models import Source, Status, TaskLog
from apps.gbcp.errors import ApplicationError


@pytest.fixture
def officer(db):
    return User.objects.get(username="dhm_officer1")


@pytest.fixture
def operated_place(db, dhm_point):
    from apps.gbcp import services as gbcp
    from apps.gbcp.models import Place

    merchant = User.objects.get(username="merchant")
    place = gbcp.place_create(user=None, name="东华门投诉餐馆", kind=Place.Kind.RESTAURANT, space=Place.Space.PRODUCTION,
                              point=dhm_point, address="东华门大街20号", operator=merchant.entity)
    return Place.objects.select_related("operator", "region").get(pk=place.pk)


def task_in_feedback(insider, officer, point, category, place=None, description="餐馆油烟直排扰民"):
    task = services.task_intake(user=insider, source=Source.CITIZEN, description=description, point=point, category=category,
                                place=place).task
    services.task_dispatch(user=insider, task=task)
    services.task_accept(user=officer, task=task)
    services.task_feedback(user=officer, task=task, result="已责令整改，油烟净化器已开启")
    task.refresh_from_db()
    return task


@pytest.mark.django_db
def test_the_confirmed_complaint_becomes_one_credit_record_of_the_operator(insider, officer, operated_place, dhm_point, vendor_category):
    task = task_in_feedback(insider, officer, dhm_point, vendor_category, place=operated_place)
    services.task_verify(user=insider, task=task, approved=True, complaint_upheld=True)
    task.refresh_from_db()
    assert task.status == Status.CLOSED
    record = CreditRecord.objects.get(kind="complaint_upheld", source_ref=f"dispatch.Task:{task.pk}")
    assert record.entity == operated_place.operator and record.place == operated_place and record.weight < 0
    assert TaskLog.objects.get(task=task, action="close").data["complaint_upheld"] == operated_place.operator.name


@pytest.mark.django_db
def test_without_a_known_operator_the_confirmation_is_refused_and_nothing_changes(insider, officer, dhm_point, vendor_category):
    task = task_in_feedback(insider, officer, dhm_point, vendor_category)
    before = CreditRecord.objects.count()
    with pytest.raises(ApplicationError) as refused:
        services.task_verify(user=insider, task=task, approved=True, complaint_upheld=True)
    assert refused.value.code == "no_operator"
    task.refresh_from_db()
    assert task.status == Status.FEEDBACK and CreditRecord.objects.count() == before


@pytest.mark.django_db
def test_the_verify_form_offers_the_confirmation_only_where_an_operator_is_known(insider, officer, operated_place, dhm_point, vendor_category):
    web = Client()
    web.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    web.force_login(insider)
    with_operator = task_in_feedback(insider, officer, dhm_point, vendor_category, place=operated_place)
    without = task_in_feedback(insider, officer, dhm_point, vendor_category, description="人行道上共享单车堆放堵塞盲道")
    assert 'name="complaint_upheld"' in web.get(f"/dispatch/tasks/{with_operator.pk}/").content.decode()
    assert 'name="complaint_upheld"' not in web.get(f"/dispatch/tasks/{without.pk}/").content.decode()
    web.post(f"/dispatch/tasks/{with_operator.pk}/verify/", {"decision": "approve", "complaint_upheld": "on"})
    assert CreditRecord.objects.filter(kind="complaint_upheld", source_ref=f"dispatch.Task:{with_operator.pk}").count() == 1
    # Sending back never records a complaint, whatever the box says.
    web.post(f"/dispatch/tasks/{without.pk}/verify/", {"decision": "reject", "reason": "照片不清", "complaint_upheld": "on"})
    assert not CreditRecord.objects.filter(source_ref=f"dispatch.Task:{without.pk}").exists()
