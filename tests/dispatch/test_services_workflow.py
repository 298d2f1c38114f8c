"""The task workflow driven step by step through the services, with Viewflow underneath."""
import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone
from viewflow.workflow.models import Task as FlowTask
from viewflow.workflow.status import PROCESS, STATUS

from apps.accounts.models import User
from apps.dispatch import services
from apps.dispatch.flows import TaskFlow
from apps.dispatch.models import Deferral, Source, Status, TaskLog
from apps.gbcp.errors import ApplicationError


def open_steps(task):
    return sorted(t.flow_task.name for t in FlowTask.objects.filter(process_id=task.process_id, status__in=[STATUS.NEW, STATUS.ASSIGNED]))


@pytest.fixture
def reported(db, insider, dhm_point, vendor_category):
    result = services.task_intake(
        user=insider, source=Source.DISPATCHER, description="东华门大街有流动摊贩占道经营，影响通行", point=dhm_point,
        category=vendor_category, reporter_name="张三", reporter_phone="13800001111",
    )
    return result.task


@pytest.mark.django_db
def test_intake_routes_to_the_squad_of_the_grid_and_opens_the_dispatch_step(reported, vendor_category):
    assert reported.region_code.startswith("110101001")
    assert reported.grid is not None and reported.organization == reported.grid.squad
    assert reported.organization.name == "东华门街道综合行政执法队"
    assert vendor_category.name in reported.route_reason
    assert reported.deadline == vendor_category.deadline_from(reported.received_at)
    assert open_steps(reported) == ["dispatch"]
    assert reported.history.first().history_user is not None


@pytest.mark.django_db
def test_the_whole_workflow_with_a_return_and_a_rejection(reported, insider):
    officer = User.objects.get(username="dhm_officer1")
    leader = User.objects.get(username="dhm_leader")
    services.task_dispatch(user=insider, task=reported)
    assert open_steps(reported) == ["accept"]

    with pytest.raises(ApplicationError) as info:
        services.task_return(user=leader, task=reported, reason="  ")
    assert info.value.code == "reason_required"
    services.task_return(user=leader, task=reported, reason="不属于本中队辖区")
    reported.refresh_from_db()
    assert reported.status == Status.NEW and open_steps(reported) == ["dispatch"]
    assert TaskLog.objects.get(task=reported, action="return").reason == "不属于本中队辖区"

    services.task_dispatch(user=insider, task=reported, note="确属东华门")
    services.task_accept(user=leader, task=reported)
    assert open_steps(reported) == ["handle"]
    services.task_arrive(user=officer, task=reported)
    services.task_feedback(user=officer, task=reported, result="已劝离摊贩")
    assert open_steps(reported) == ["verify"]

    with pytest.raises(ApplicationError):
        services.task_verify(user=insider, task=reported, approved=False, reason="")
    services.task_verify(user=insider, task=reported, approved=False, reason="照片不清楚，请补充")
    reported.refresh_from_db()
    assert reported.status == Status.IN_PROGRESS and open_steps(reported) == ["handle"]
    services.task_feedback(user=officer, task=reported, result="已劝离并补充照片")
    services.task_verify(user=insider, task=reported, approved=True, rating="satisfied")
    reported.refresh_from_db()
    assert reported.status == Status.CLOSED and reported.closed_at and reported.satisfied
    assert reported.process.status == PROCESS.DONE
    owners = {t.flow_task.name: t.owner for t in FlowTask.objects.filter(process_id=reported.process_id, status=STATUS.DONE) if t.owner}
    assert owners["verify"] == insider and owners["accept"] == leader
    actions = list(TaskLog.objects.filter(task=reported).values_list("action", flat=True))
    assert actions == ["intake", "dispatch", "return", "dispatch", "accept", "arrive", "feedback", "reject", "feedback", "close", "rate"]


@pytest.mark.django_db
def test_illegal_steps_and_strangers_are_refused(reported, insider, outsider):
    officer = User.objects.get(username="dhm_officer1")
    with pytest.raises(ApplicationError) as info:
        services.task_accept(user=officer, task=reported)
    assert info.value.code == "illegal_step"
    with pytest.raises(ApplicationError) as info:
        services.task_dispatch(user=outsider, task=reported)
    assert info.value.code == "forbidden"
    services.task_dispatch(user=insider, task=reported)
    zgc = User.objects.get(username="zgc_officer")
    with pytest.raises(ApplicationError) as info:
        services.task_accept(user=zgc, task=reported)
    assert info.value.code == "forbidden"
    with pytest.raises(ApplicationError) as info:
        services.task_verify(user=insider, task=reported, approved=True)
    assert info.value.code == "illegal_step"


@pytest.mark.django_db(transaction=True)
def test_two_people_accepting_at_once_exactly_one_wins():
    from django.core.management import call_command

    from apps.dispatch.models import Task

    # A transactional test starts empty: seed a one-district city for it.
    call_command("seed_demo", districts="110101", places=0, entities=0, quiet_progress=True, stdout=open("/dev/null", "w"))
    from apps.gbcp.models import Organization, Region

    insider = User.objects.get(username="dc_dispatcher")
    category = Organization.objects.get(name="东华门街道综合行政执法队").duties.order_by("code").first()
    point = Region.objects.get(code="110101001").boundary.point_on_surface
    task = services.task_intake(user=insider, source=Source.DISPATCHER, description="占道经营", point=point, category=category).task
    services.task_dispatch(user=insider, task=task)
    people = [User.objects.get(username="dhm_officer1"), User.objects.get(username="dhm_leader")]
    outcomes, barrier = [], threading.Barrier(2)

    def accept(user):
        barrier.wait()
        try:
            services.task_accept(user=user, task=Task.objects.get(pk=task.pk))
            outcomes.append("won")
        except ApplicationError as exc:
            outcomes.append(exc.code)
        except Exception as exc:  # SQLite may refuse the second writer outright
            outcomes.append(type(exc).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(u,)) for u in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("won") == 1, outcomes
    assert FlowTask.objects.filter(process_id=task.process_id, flow_task=TaskFlow.accept, status=STATUS.DONE).count() == 1
    assert TaskLog.objects.filter(task=task, action="accept").count() == 1


@pytest.mark.django_db
def test_defer_and_write_off(reported, insider):
    officer = User.objects.get(username="dhm_officer1")
    leader = User.objects.get(username="dhm_leader")
    services.task_dispatch(user=insider, task=reported)
    services.task_accept(user=leader, task=reported)
    with pytest.raises(ApplicationError):
        services.task_defer(user=officer, task=reported, plan="协调拆除", target_date=timezone.localdate())
    deferral = services.task_defer(user=officer, task=reported, plan="协调产权单位拆除", target_date=timezone.localdate() + dt.timedelta(days=30))
    reported.refresh_from_db()
    assert reported.status == Status.DEFERRED and reported.is_open
    services.deferral_approve(user=leader, deferral=deferral)
    services.deferral_write_off(user=officer, deferral=deferral, result="已拆除")
    reported.refresh_from_db()
    assert reported.status == Status.FEEDBACK
    assert Deferral.objects.get(pk=deferral.pk).written_off_by == officer


@pytest.mark.django_db
def test_a_referral_goes_back_to_the_dispatcher_with_the_new_route(reported, insider):
    from apps.gbcp.models import Organization

    leader = User.objects.get(username="dhm_leader")
    department = Organization.objects.get(name="东城区城市管理委员会")
    services.task_dispatch(user=insider, task=reported)
    services.task_accept(user=leader, task=reported)
    with pytest.raises(ApplicationError):
        services.task_refer(user=leader, task=reported, organization=department, reason="")
    services.task_refer(user=leader, task=reported, organization=department, reason="属于设施维修，请城管委处理")
    reported.refresh_from_db()
    assert reported.status == Status.NEW and reported.organization == department
    assert open_steps(reported) == ["dispatch"]
    services.task_dispatch(user=insider, task=reported)
    assert open_steps(reported) == ["accept"]
