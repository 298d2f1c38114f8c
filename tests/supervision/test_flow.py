"""The supervision item driven step by step through the services, with Viewflow underneath: created by hand or raised
by a rule, signed, dispatched, handled, returned with a reason, handled again, passed, closed with feedback, archived."""
import datetime as dt

import pytest
from django.utils import timezone
from viewflow.workflow.models import Task as FlowTask
from viewflow.workflow.status import PROCESS, STATUS

from apps.gbcp.errors import ApplicationError
from apps.realtime.models import Notification
from apps.supervision import services
from apps.supervision.flows import SupervisionFlow
from apps.supervision.models import Alert, Source, Status, SupervisionItem, SupervisionLog
from apps.supervision.rulekinds import RuleKind

pytestmark = pytest.mark.django_db


def open_steps(item):
    return sorted(t.flow_task.name for t in FlowTask.objects.filter(process_id=item.process_id, status__in=[STATUS.NEW, STATUS.ASSIGNED]))


def _refused(call, code, status):
    with pytest.raises(ApplicationError) as refused:
        call()
    assert (refused.value.code, refused.value.status_code) == (code, status)


@pytest.fixture
def created(supervisor, squad):
    return services.item_create(user=supervisor, title="东华门大街夜间施工扰民反复投诉", body="请一周内查明并整改。", organization=squad, deadline_days=5)


def test_a_created_item_goes_through_every_step_with_a_return(created, supervisor, squad, officer, squad_leader, dispatcher):
    item = created
    assert item.source == Source.MANUAL and item.status == Status.SIGNED and item.number.startswith("DB")
    assert item.region_code == squad.region.code and item.deadline > item.warn_at > item.created_at
    assert open_steps(item) == ["dispatch"]
    # Everyone in the squad hears of the new item, with a stored message.
    assert Notification.objects.filter(recipient=officer, event="supervision.new", link=f"/supervision/{item.pk}/").exists()

    _refused(lambda: services.item_handle(user=officer, item=item, result="已整改"), "illegal_step", 409)
    _refused(lambda: services.item_dispatch(user=officer, item=item), "forbidden", 403)
    services.item_dispatch(user=supervisor, item=item, note="请东华门中队办理")
    assert open_steps(item) == ["handle"]

    _refused(lambda: services.item_handle(user=dispatcher, item=item, result="已整改"), "forbidden", 403)  # not the unit
    _refused(lambda: services.item_handle(user=officer, item=item, result="  "), "result_required", 400)
    services.item_handle(user=officer, item=item, result="已约谈施工单位，停止夜间施工")
    assert open_steps(item) == ["review"]

    _refused(lambda: services.item_review(user=squad_leader, item=item, approved=True), "forbidden", 403)
    _refused(lambda: services.item_review(user=supervisor, item=item, approved=False, reason=""), "reason_required", 400)
    services.item_review(user=supervisor, item=item, approved=False, reason="未附整改照片，请补充")
    item.refresh_from_db()
    assert item.status == Status.DISPATCHED and item.returns == 1 and open_steps(item) == ["handle"]
    assert SupervisionLog.objects.get(item=item, action="return").reason == "未附整改照片，请补充"

    services.item_handle(user=squad_leader, item=item, result="已补充整改照片，复查无夜间施工")
    services.item_review(user=supervisor, item=item, approved=True)
    assert open_steps(item) == ["close"]
    _refused(lambda: services.item_close(user=supervisor, item=item, feedback=""), "feedback_required", 400)
    services.item_close(user=supervisor, item=item, feedback="已办结，投诉人表示满意")
    assert open_steps(item) == ["archive"]
    _refused(lambda: services.item_close(user=supervisor, item=item, feedback="再次"), "illegal_step", 409)
    services.item_archive(user=supervisor, item=item)

    item.refresh_from_db()
    assert item.status == Status.ARCHIVED and item.process.status == PROCESS.DONE and item.alert == Alert.NONE
    actions = list(SupervisionLog.objects.filter(item=item).values_list("action", flat=True))
    assert actions == ["create", "dispatch", "handle", "return", "handle", "approve", "close", "archive"]
    owners = {t.flow_task.name: t.owner for t in FlowTask.objects.filter(process_id=item.process_id, status=STATUS.DONE) if t.owner}
    assert owners["dispatch"] == supervisor and owners["review"] == supervisor
    assert item.history.filter(history_user=officer).exists()


def test_an_item_raised_by_a_rule_is_signed_for_first(make_rule, report, places, supervisor):
    rule = make_rule(RuleKind.TASK_OVERDUE, hours=0)
    task = report(places[0])
    services.rule_scan(rule=rule, now=task.deadline + dt.timedelta(minutes=5))
    item = SupervisionItem.objects.get(rule=rule, task=task)
    assert item.status == Status.RAISED and open_steps(item) == ["sign"]
    _refused(lambda: services.item_dispatch(user=supervisor, item=item), "illegal_step", 409)
    services.item_sign(user=supervisor, item=item)
    assert open_steps(item) == ["dispatch"]
    services.item_dispatch(user=supervisor, item=item)
    assert open_steps(item) == ["handle"]


def test_the_step_table_is_the_flows_permission(created, supervisor, officer):
    step = FlowTask.objects.get(process_id=created.process_id, flow_task=SupervisionFlow.dispatch)
    node = SupervisionFlow.dispatch
    assert node.can_execute(supervisor, step) and not node.can_execute(officer, step)


def test_the_alert_turns_yellow_then_red_and_each_warning_is_sent_once(created, officer):
    item = created
    assert item.alert_at(item.created_at) == Alert.NONE
    assert item.alert_at(item.warn_at + dt.timedelta(minutes=1)) == Alert.YELLOW
    assert item.alert_at(item.deadline) == Alert.RED
    assert services.items_warn(now=item.warn_at + dt.timedelta(minutes=1))["yellow"] >= 1
    assert services.items_warn(now=item.warn_at + dt.timedelta(minutes=2))["yellow"] == 0
    assert services.items_warn(now=item.deadline + dt.timedelta(minutes=1))["red"] >= 1
    item.refresh_from_db()
    assert item.alerts_sent == ["yellow", "red"]
    assert Notification.objects.filter(recipient=officer, event="supervision.overdue", link=f"/supervision/{item.pk}/").count() == 1
    assert SupervisionLog.objects.filter(item=item, action__startswith="alert_").count() == 2


def test_a_deadline_is_counted_in_working_days(supervisor, squad):
    item = services.item_create(user=supervisor, title="周五督办", organization=squad, deadline_days=1)
    assert item.deadline.weekday() < 5 and item.deadline > timezone.now()
    _refused(lambda: services.item_create(user=supervisor, title="", organization=squad), "title_required", 400)
    _refused(lambda: services.item_create(user=supervisor, title="过长", organization=squad, deadline_days=0), "invalid_deadline", 400)
