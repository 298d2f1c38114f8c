"""Patrol inspection's step table, row by row, with the five callers; and the services refusing as the table says."""
import pytest
from django.contrib.auth.models import AnonymousUser

from apps.accounts.models import Role
from apps.gbcp.errors import ApplicationError, NotFound
from apps.inspection import services
from apps.inspection.models import Draw, Finding, InspectionRecord, PatrolPlan
from apps.inspection.policy import INSPECTION
from tests.personas import five_callers

SUBJECTS = {  # each step's subject in a region (a step that makes something: the thing before it is saved)
    "plan": lambda code: PatrolPlan(region_code=code),
    "start_patrol": lambda code: PatrolPlan(region_code=code),
    "generate_assignments": lambda code: PatrolPlan(region_code=code),
    "draw": lambda code: Draw(region_code=code),
    "publish_draw": lambda code: Draw(region_code=code, is_published=False),
    "record": lambda code: InspectionRecord(region_code=code),
    "finding_to_task": lambda code: Finding(region_code=code),
    "finding_to_case": lambda code: Finding(region_code=code),
}


def test_every_step_of_the_table_has_a_subject_here():
    assert set(SUBJECTS) == {step.name for step in INSPECTION}

ROWS = [(step, role) for step in INSPECTION for role in step.roles]


@pytest.mark.django_db
@pytest.mark.parametrize("step,role", ROWS, ids=[f"{step.name}-{role}" for step, role in ROWS])
def test_each_step_is_for_its_roles_in_their_jurisdiction_and_no_one_else(step, role, district):
    callers = five_callers(role=role, organization=district)
    subject = SUBJECTS[step.name](district.region.code)
    assert INSPECTION.allows(callers.insider, step.name, subject)
    for name, user in callers.others():
        assert not INSPECTION.may_act(user, step.name, subject), name


@pytest.mark.django_db
def test_a_published_draw_and_a_handled_finding_are_closed_steps(district):
    callers = five_callers(role=Role.DISPATCHER, organization=district)
    code = district.region.code
    assert not INSPECTION.allows(callers.insider, "publish_draw", Draw(region_code=code, is_published=True))
    assert not INSPECTION.allows(callers.insider, "finding_to_case", Finding(region_code=code, case_id=7))


def _refused(call, user):
    with pytest.raises(ApplicationError) as refused:
        call(user)
    return refused.value.status_code, refused.value.code


@pytest.mark.django_db
def test_the_plan_service_refuses_as_the_table_says_and_an_outsider_is_told_not_found(district):
    callers = five_callers(role=Role.DISPATCHER, organization=district)

    def plan(user):
        return services.plan_create(user=user, name="按表计划", region_code=district.region.code, place_kinds=["shop"], interval_days=7)

    assert plan(callers.insider).region_code == district.region.code
    with pytest.raises(NotFound):
        plan(callers.outsider)
    for name, user in [("citizen", callers.citizen), ("merchant", callers.merchant), ("anonymous", AnonymousUser())]:
        assert _refused(plan, user) == (403, "forbidden"), name


@pytest.mark.django_db
def test_a_finding_is_handed_on_once_by_those_the_table_names(squad, record_with_finding):
    finding = record_with_finding.findings.get()
    callers = five_callers(role=Role.OFFICER, organization=squad)

    def to_task(user):
        return services.finding_to_task(user=user, finding=finding)

    with pytest.raises(NotFound):
        to_task(callers.outsider)
    for name, user in [("citizen", callers.citizen), ("merchant", callers.merchant), ("anonymous", AnonymousUser())]:
        assert _refused(to_task, user) == (403, "forbidden"), name
    assert to_task(callers.insider).task_id
    assert _refused(to_task, callers.insider) == (409, "finding_handled")
