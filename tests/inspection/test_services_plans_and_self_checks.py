"""Patrol plans and assignments, merchant self-checks."""
import datetime as dt

import pytest
from django.utils import timezone

from apps.gbcp.errors import ApplicationError, NotFound
from apps.gbcp.models import Place
from apps.inspection import services
from apps.inspection.models import Assignment, SelfCheck
from apps.inspection.services import plans


@pytest.fixture
def plan(insider):
    return services.plan_create(user=insider, name="东城区季度计划", region_code="110101", place_kinds=["restaurant", "shop", "market"],
                                interval_days=10, starts_on=timezone.localdate())


@pytest.mark.django_db
def test_assignments_are_generated_every_interval_without_duplicates(insider, plan):
    until = timezone.localdate() + dt.timedelta(days=25)
    first = services.plan_generate_assignments(user=insider, plan=plan, until=until)
    assert first and services.plan_generate_assignments(user=insider, plan=plan, until=until) == []
    place_ids = set(services.plan_places(plan).values_list("pk", flat=True))
    assert {a.place_id for a in first} == place_ids
    per_place = Assignment.objects.filter(plan=plan).values_list("place_id", "due_on")
    assert len(per_place) == len(set(per_place))


@pytest.mark.django_db
def test_a_key_point_shortens_the_interval(insider, plan, monkeypatch):
    place = services.plan_places(plan).first()
    monkeypatch.setattr(plans, "_key_point_intervals", lambda ids: {place.pk: 3})
    services.plan_generate_assignments(user=insider, plan=plan, until=timezone.localdate() + dt.timedelta(days=9))
    dues = sorted(Assignment.objects.filter(plan=plan, place=place).values_list("due_on", flat=True))
    others = list(Assignment.objects.filter(plan=plan).exclude(place=place).values_list("place_id", flat=True))
    assert len(dues) >= 3 and (dues[1] - dues[0]).days == 3
    assert all(others.count(pid) == 1 for pid in others)


@pytest.mark.django_db
def test_open_assignments_past_due_become_overdue(insider, plan):
    services.plan_generate_assignments(user=insider, plan=plan, until=timezone.localdate())
    assert services.assignment_sweep_overdue(today=timezone.localdate() + dt.timedelta(days=1)) >= 1
    assert Assignment.objects.filter(plan=plan, status=Assignment.Status.OVERDUE).exists()


@pytest.mark.django_db
def test_an_outsider_cannot_plan_in_another_district_and_an_officer_starts_a_bottom_up_patrol(outsider, officer1, dhm_place):
    with pytest.raises(NotFound):
        services.plan_create(user=outsider, name="x", region_code="110101", place_kinds=["shop"], interval_days=7)
    patrol = services.plan_start_on_patrol(user=officer1)
    assert patrol.origin == "bottom_up" and patrol.region_code == "110101001"
    assert Assignment.objects.get(plan=patrol, place=dhm_place).due_on == timezone.localdate()
    with pytest.raises(ApplicationError):
        services.plan_create(user=officer1, name="x", region_code="110101001", place_kinds=["shop"], interval_days=7)


@pytest.mark.django_db
def test_a_merchant_checks_its_own_place(merchant, dhm_place, answers_for):
    check = services.self_check_submit(user=merchant, place=dhm_place, answers=answers_for(dhm_place, failed=(1,)))
    assert check.entity_id == merchant.entity_id and not check.passed and check.answers.count() == len(answers_for(dhm_place))
    from apps.inspection.selectors import self_checks_for_entity

    assert check in self_checks_for_entity(entity=merchant.entity)


@pytest.mark.django_db
def test_a_merchant_cannot_check_someone_elses_place(merchant, answers_for):
    other = Place.objects.exclude(operator=merchant.entity).filter(kind="restaurant").select_related("region").first()
    with pytest.raises(NotFound):
        services.self_check_submit(user=merchant, place=other, answers=answers_for(other))
    assert not SelfCheck.objects.filter(place=other).exists()


@pytest.mark.django_db
def test_staff_do_not_submit_self_checks(officer1, dhm_place, answers_for):
    with pytest.raises(ApplicationError) as err:
        services.self_check_submit(user=officer1, place=dhm_place, answers=answers_for(dhm_place))
    assert err.value.status_code == 403


@pytest.mark.django_db
def test_a_places_history_shows_inspections_findings_self_checks_and_tasks(insider, merchant, record_with_finding, dhm_place, answers_for, officer1):
    from apps.inspection.selectors import place_history

    services.self_check_submit(user=merchant, place=dhm_place, answers=answers_for(dhm_place))
    finding = services.finding_to_task(user=officer1, finding=record_with_finding.findings.get())
    history = place_history(user=insider, place=dhm_place)
    assert record_with_finding in history["records"] and finding in history["findings"]
    assert history["self_checks"] and finding.task in history["tasks"]
