"""The task centre's step tables, row by row: for every step, on a task where it is open, the insider may and
the outsider, the citizen, the merchant and the anonymous caller may not; the services and the flow agree."""
import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from viewflow.workflow.models import Task as FlowTask
from viewflow.workflow.status import STATUS

from apps.accounts.models import Role, User
from apps.dispatch import services
from apps.dispatch.flows import TaskFlow
from apps.dispatch.models import Source, Status
from apps.dispatch.policy import TASK_POLICY, WHISTLE_POLICY, allowed_task_steps
from apps.gbcp.errors import ApplicationError
from apps.gbcp.models import Organization
from apps.workflow.policy import ORGANIZATION
from tests.personas import five_callers, user_with

# Where a step has no status of its own, the state its test puts the task in.
OPEN_IN = {"approve_deferral": Status.DEFERRED, "approve_deferral_as_leader": Status.DEFERRED, "keep_apart": Status.NEW}


@pytest.fixture
def task_in(db, dhm_point, vendor_category):
    """A task of the 东华门 squad in the given status, brought there through the services."""
    dispatcher, leader = User.objects.get(username="dc_dispatcher"), User.objects.get(username="dhm_leader")

    def build(status, label="policy"):
        task = services.task_intake(user=dispatcher, source=Source.DISPATCHER, description=f"{label}：东华门大街占道经营", point=dhm_point,
                                    category=vendor_category).report
        assert task.status == Status.NEW
        if status != Status.NEW:
            services.task_dispatch(user=dispatcher, task=task)
        if status not in (Status.NEW, Status.DISPATCHED):
            services.task_accept(user=leader, task=task)
        if status == Status.DEFERRED:
            services.task_defer(user=leader, task=task, plan="协调产权单位", target_date=timezone.localdate() + dt.timedelta(days=30))
        elif status == Status.FEEDBACK:
            services.task_feedback(user=leader, task=task, result="已劝离")
        task.refresh_from_db()
        assert task.status == status
        return task

    return build


def district_organization(task):
    """The district's enforcement brigade: where a dispatcher or leader of the task's district serves."""
    return Organization.objects.get(region__code=task.region_code[:6], kind=Organization.Kind.ENFORCEMENT_TEAM)


def callers_for(step, task):
    """The five callers of a row: the insider holds the row's role where the row says it must serve."""
    role = Role.OFFICER if Role.OFFICER in step.roles else step.roles[0]
    return five_callers(role=role, organization=task.organization if step.where == ORGANIZATION else district_organization(task))


@pytest.mark.django_db
@pytest.mark.parametrize("name", [step.name for step in TASK_POLICY])
def test_every_task_step_is_for_the_insider_and_no_one_else(name, task_in):
    step = TASK_POLICY.step(name)
    task = task_in(OPEN_IN.get(name) or step.statuses[0], label=name)
    assert TASK_POLICY.is_open(name, task)
    callers = callers_for(step, task)
    assert TASK_POLICY.allows(callers.insider, name, task)
    assert [who for who, user in callers.others() if TASK_POLICY.allows(user, name, task)] == []


@pytest.fixture
def street_office(db):
    return Organization.objects.get(name="东华门街道办事处")


@pytest.fixture
def department(db):
    return Organization.objects.get(name="东城区城市管理委员会")


@pytest.fixture
def summons_of(task_in, street_office, department):
    def build():
        blower = user_with(role=Role.LEADER, organization=street_office, name="blower")
        whistle = services.whistle_blow(user=blower, task=task_in(Status.NEW, label="whistle"), departments=[department], reason="需城管委到场")
        return whistle.summonses.get()

    return build


@pytest.mark.django_db
@pytest.mark.parametrize("name", [step.name for step in WHISTLE_POLICY])
def test_every_whistle_step_is_for_the_insider_and_no_one_else(name, task_in, summons_of, street_office, department):
    subject, organization = {
        "blow": lambda: (task_in(Status.NEW, label="blow"), street_office),
        "report_in": lambda: (summons_of(), department),
    }[name]()
    assert WHISTLE_POLICY.is_open(name, subject)
    callers = five_callers(role=Role.OFFICER, organization=organization)
    assert WHISTLE_POLICY.allows(callers.insider, name, subject)
    assert [who for who, user in callers.others() if WHISTLE_POLICY.allows(user, name, subject)] == []


@pytest.mark.django_db
def test_a_dispatcher_of_the_street_is_not_its_street_office(task_in):
    task = task_in(Status.NEW)
    assert not WHISTLE_POLICY.allows(User.objects.get(username="dc_dispatcher"), "blow", task)


def assert_everyone_else_gets_403(callers, act):
    for who, user in callers.others():
        with pytest.raises(ApplicationError) as refused:
            act(user)
        assert (refused.value.status_code, refused.value.code) == (403, "forbidden"), who


@pytest.mark.django_db
@pytest.mark.parametrize("status, name, act", [
    (Status.NEW, "dispatch", lambda user, task: services.task_dispatch(user=user, task=task)),  # where=JURISDICTION
    (Status.DISPATCHED, "accept", lambda user, task: services.task_accept(user=user, task=task)),  # where=ORGANIZATION
], ids=["jurisdiction", "organization"])
def test_the_service_refuses_everyone_but_the_insider_with_403(status, name, act, task_in):
    task = task_in(status)
    callers = callers_for(TASK_POLICY.step(name), task)
    assert_everyone_else_gets_403(callers, lambda user: act(user, task))
    task.refresh_from_db()
    assert task.status == status
    act(callers.insider, task)
    task.refresh_from_db()
    assert task.status != status


@pytest.mark.django_db
def test_the_service_refuses_everyone_but_the_street_office_with_403(task_in, street_office, department):
    task = task_in(Status.NEW)
    callers = five_callers(role=Role.OFFICER, organization=street_office)
    blow = lambda user: services.whistle_blow(user=user, task=task, departments=[department], reason="需城管委到场")  # noqa: E731
    assert_everyone_else_gets_403(callers, blow)
    assert blow(callers.insider).street_office == street_office


@pytest.mark.django_db
def test_the_right_person_at_the_wrong_moment_gets_the_steps_own_409(task_in):
    task = task_in(Status.NEW)
    callers = callers_for(TASK_POLICY.step("accept"), task)
    with pytest.raises(ApplicationError) as early:
        services.task_accept(user=callers.insider, task=task)
    assert (early.value.status_code, early.value.code) == (409, "illegal_step")
    assert str(early.value.message) == str(TASK_POLICY.step("accept").status_message)


@pytest.mark.django_db
def test_a_leader_elsewhere_may_no_longer_approve_a_deferral(task_in):
    task = task_in(Status.DEFERRED)
    deferral = task.deferrals.get()
    callers = five_callers(role=Role.LEADER, organization=district_organization(task))
    with pytest.raises(ApplicationError) as refused:
        services.deferral_approve(user=callers.outsider, deferral=deferral)
    assert refused.value.status_code == 403
    assert services.deferral_approve(user=callers.insider, deferral=deferral).approved_by == callers.insider


@pytest.mark.django_db
def test_the_flow_node_asks_the_same_table(task_in):
    task = task_in(Status.DISPATCHED)
    open_step = FlowTask.objects.get(process_id=task.process_id, flow_task=TaskFlow.accept, status__in=[STATUS.NEW, STATUS.ASSIGNED])
    callers = callers_for(TASK_POLICY.step("accept"), task)
    for who, user in callers.items():
        expected = TASK_POLICY.allows(user, "accept", task) or TASK_POLICY.allows(user, "return", task)
        assert TaskFlow.accept.can_execute(user or AnonymousUser(), open_step) is expected, who
    assert TaskFlow.accept.can_execute(callers.insider, open_step)
    # The dispatcher who may dispatch it may not take the squad's step.
    assert not TaskFlow.accept.can_execute(User.objects.get(username="dc_dispatcher"), open_step)


@pytest.mark.django_db
def test_the_api_lists_the_steps_the_caller_may_do_now(api_as, task_in):
    task = task_in(Status.DISPATCHED)
    squad = callers_for(TASK_POLICY.step("accept"), task)
    body = api_as(squad.insider).get(f"/api/dispatch/tasks/{task.pk}/").json()
    assert body["actions"] == ["accept", "return"] == allowed_task_steps(squad.insider, task)
    dispatcher = api_as(User.objects.get(username="dc_dispatcher")).get(f"/api/dispatch/tasks/{task.pk}/").json()
    assert "accept" not in dispatcher["actions"] and "dispatch" not in dispatcher["actions"]
    accepted = api_as(squad.insider).post(f"/api/dispatch/tasks/{task.pk}/accept/").json()
    assert set(accepted["actions"]) == {"arrive", "feedback", "refer", "escalate", "defer"}
