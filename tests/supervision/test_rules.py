"""Each kind of rule fires once, and only once, for its cause, and not for a case that does not match; each item
says why it fired and links to what lies behind it."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.cases import services as case_services
from apps.cases.models import CaseCause
from apps.dispatch import services as dispatch_services
from apps.dispatch.models import Status as TaskStatus
from apps.dispatch.models import TaskRating
from apps.gbcp.models import Organization
from apps.supervision import services
from apps.supervision.models import Source, Status, SupervisionItem, SupervisionLog, SupervisionRule
from apps.supervision.rulekinds import RuleKind
from tests.personas import user_with

pytestmark = pytest.mark.django_db


def _about(rule, **subject):
    """The items the rule raised about one subject (the demo city's own tasks may raise others)."""
    return list(SupervisionItem.objects.filter(rule=rule, **subject).order_by("pk"))


def test_an_overdue_task_raises_one_item_after_n_hours_and_never_a_second(make_rule, report, places, squad):
    rule = make_rule(RuleKind.TASK_OVERDUE, hours=2)
    task = report(places[0])
    assert task.deadline is not None
    services.rule_scan(rule=rule, now=task.deadline + dt.timedelta(hours=1))
    assert _about(rule, task=task) == []  # overdue by one hour only

    later = task.deadline + dt.timedelta(hours=3)
    services.rule_scan(rule=rule, now=later)
    [item] = _about(rule, task=task)
    assert item.source == Source.RULE and item.status == Status.RAISED and item.organization == squad
    assert item.region_code == task.region_code and item.place_id == places[0].pk and item.related_task_ids == [task.pk]
    assert item.measured["parameters"] == {"hours": 2} and item.measured["values"]["overdue_hours"] == 3
    assert task.number in item.body and "3" in item.body
    assert SupervisionLog.objects.get(item=item, action="raise").reason == item.body
    assert item.process_id is not None

    found, new = services.rule_scan(rule=rule, now=later + dt.timedelta(hours=5))
    assert task.pk in [f.links["task"].pk for f in found] and task.pk not in [i.task_id for i in new]
    assert len(_about(rule, task=task)) == 1


def test_k_complaints_at_one_place_within_d_days_raise_one_item_and_a_single_place_does_not(make_rule, report, places):
    rule = make_rule(RuleKind.COMPLAINT_CLUSTER, count=3, days=7, scope="place")
    busy, quiet = places
    cluster = [report(busy, hours_ago=h) for h in (50, 30, 2)]
    report(busy, hours_ago=24 * 9)  # outside the window
    report(quiet, hours_ago=3)
    report(quiet, hours_ago=4)
    services.rule_scan(rule=rule)
    assert _about(rule, place=quiet) == []
    [item] = _about(rule, place=busy)
    assert sorted(item.related_task_ids) == sorted(t.pk for t in cluster)
    assert item.measured["values"]["measured_count"] == 3

    report(busy, hours_ago=1)  # one more complaint: counted in no cluster yet, not enough for a new one
    services.rule_scan(rule=rule)
    assert len(_about(rule, place=busy)) == 1


def test_the_same_problem_reported_again_merges_and_still_counts_as_a_complaint(make_rule, report, places, settings):
    settings.DISPATCH_DEDUP_SCORING = "paraphrase"
    rule = make_rule(RuleKind.COMPLAINT_CLUSTER, count=3, days=7, scope="place")
    busy, _quiet = places
    first, second, third = (report(busy, hours_ago=h, text=f"{busy.name}门口有人摆摊烤串，烟很大{tail}") for h, tail in
                            ((5, ""), (3, "，呛得不行"), (1, "，天天如此")))
    second.refresh_from_db()
    third.refresh_from_db()
    assert (second.master_id, third.master_id) == (first.pk, first.pk)  # one task for the squad
    services.rule_scan(rule=rule)
    [item] = _about(rule, place=busy)  # three citizens complained: the cluster is seen
    assert sorted(item.related_task_ids) == sorted([first.pk, second.pk, third.pk])


def test_complaints_are_counted_per_grid_when_the_rule_says_so(make_rule, report, places):
    grid_places = [p for p in places if p.grid_id]
    if not grid_places:
        pytest.skip("the demo places of 东华门 lie in no grid")
    rule = make_rule(RuleKind.COMPLAINT_CLUSTER, count=2, days=3, scope="grid")
    report(grid_places[0], hours_ago=5)
    report(grid_places[0], hours_ago=6)
    services.rule_scan(rule=rule)
    [item] = _about(rule, grid=grid_places[0].grid)
    assert item.place_id is None and len(item.related_task_ids) >= 2


def _closed(report, place, dispatcher, squad_leader, officer):
    task = report(place)
    dispatch_services.task_dispatch(user=dispatcher, task=task)
    dispatch_services.task_accept(user=squad_leader, task=task)
    dispatch_services.task_feedback(user=officer, task=task, result="已清理")
    return task


def _rate(task, level, comment=""):
    """The reporter's answer on the 12345 call-back, through the task centre's rating service."""
    return dispatch_services.rate_task(task=task, level=level, comment=comment, channel=TaskRating.Channel.HOTLINE)


def test_a_dissatisfied_rating_raises_one_item_and_a_satisfied_one_none(make_rule, report, places, dispatcher, squad_leader, officer):
    rule = make_rule(RuleKind.DISSATISFIED, days=30)
    unhappy = _closed(report, places[0], dispatcher, squad_leader, officer)
    happy = _closed(report, places[1], dispatcher, squad_leader, officer)
    for task in (unhappy, happy):
        dispatch_services.task_verify(user=dispatcher, task=task, approved=True)
    _rate(unhappy, TaskRating.Level.DISSATISFIED, "摊位第二天又回来了")
    _rate(happy, TaskRating.Level.SATISFIED)
    services.rule_scan(rule=rule)
    assert _about(rule, task=happy) == []
    [item] = _about(rule, task=unhappy)
    assert "摊位第二天又回来了" in item.body
    services.rule_scan(rule=rule)
    assert len(_about(rule, task=unhappy)) == 1


def test_a_whistle_department_late_or_absent_raises_one_item_each_and_one_on_time_none(make_rule, report, places, squad):
    rule = make_rule(RuleKind.WHISTLE_LATE, minutes=10, responsible="district")
    task = report(places[0])
    office = Organization.objects.get(kind=Organization.Kind.STREET_OFFICE, region__code="110101001")
    clerk = user_with(role="dispatcher", organization=office, name="dhm-office")
    departments = list(Organization.objects.filter(region__code__startswith="110101", kind=Organization.Kind.FUNCTIONAL_DEPARTMENT)[:1])
    departments.append(Organization.objects.get(name="东城区城市管理综合行政执法局"))
    whistle = dispatch_services.whistle_blow(user=clerk, task=task, departments=departments, reason="占道严重，需要联合处置", minutes=30)
    late, on_time = list(whistle.summonses.order_by("pk"))
    reporter = user_with(role="officer", organization=late.department, name="late-dept")
    dispatch_services.summons_report_in(user=reporter, summons=late, at=late.due_at + dt.timedelta(minutes=25))
    punctual = user_with(role="officer", organization=on_time.department, name="on-time-dept")
    dispatch_services.summons_report_in(user=punctual, summons=on_time, at=on_time.due_at - dt.timedelta(minutes=1))

    services.rule_scan(rule=rule)
    [item] = _about(rule, whistle=whistle)
    assert item.measured["values"]["summons"] == late.pk and "25" in item.body
    assert item.organization.name == "东城区城市管理综合行政执法局"  # the rule names the district bureau

    # A department that never reports in counts once its time (plus the allowed minutes) is past.
    task2 = report(places[1])
    whistle2 = dispatch_services.whistle_blow(user=clerk, task=task2, departments=departments[:1], reason="再次吹哨", minutes=30)
    absent = whistle2.summonses.get()
    services.rule_scan(rule=rule, now=absent.due_at + dt.timedelta(minutes=5))
    assert _about(rule, whistle=whistle2) == []
    services.rule_scan(rule=rule, now=absent.due_at + dt.timedelta(minutes=15))
    [item] = _about(rule, whistle=whistle2)
    assert "未报到" in item.body
    services.rule_scan(rule=rule, now=absent.due_at + dt.timedelta(days=1))
    assert len(_about(rule, whistle=whistle2)) == 1 and len(_about(rule, whistle=whistle)) == 1


def test_a_case_past_its_decision_deadline_raises_one_item_and_a_case_in_time_none(make_rule, places, officer, squad_leader, squad):
    rule = make_rule(RuleKind.CASE_OVERDUE, deadlines=["decision"], hours=0)
    cause = CaseCause.objects.filter(active=True).order_by("code").first()
    facts = {"harm": "ordinary", "violation_date": timezone.localdate().isoformat()}
    cases = []
    for filed_days_ago in (100, 10):
        case = case_services.case_open(user=officer, source="patrol", cause=cause, place=places[0], facts="占道经营，经劝阻未改正。",
                                       discretion_facts=facts)
        cases.append(case_services.case_file_approve(user=squad_leader, case=case, at=timezone.now() - dt.timedelta(days=filed_days_ago)))
    late, in_time = cases
    services.rule_scan(rule=rule)
    assert _about(rule, case=in_time) == []
    [item] = _about(rule, case=late)
    assert item.organization == squad and item.measured["values"]["case"] == late.number
    services.rule_scan(rule=rule)
    assert len(_about(rule, case=late)) == 1
    assert in_time.decision_due > timezone.now()


def test_a_task_returned_more_than_m_times_raises_one_item_and_one_returned_m_times_none(make_rule, report, places, dispatcher, squad_leader):
    rule = make_rule(RuleKind.TASK_RETURNED, times=2, actions=["return"], responsible="district")
    bounced, twice = report(places[0]), report(places[1])
    for task, returns in ((bounced, 3), (twice, 2)):
        for n in range(returns):
            dispatch_services.task_dispatch(user=dispatcher, task=task)
            dispatch_services.task_return(user=squad_leader, task=task, reason=f"第{n + 1}次：不属于本中队")
    services.rule_scan(rule=rule)
    assert _about(rule, task=twice) == []
    [item] = _about(rule, task=bounced)
    assert item.measured["values"]["returns"] == 3 and item.organization.name == "东城区城市管理综合行政执法局"
    dispatch_services.task_dispatch(user=dispatcher, task=bounced)
    dispatch_services.task_return(user=squad_leader, task=bounced, reason="第4次")
    services.rule_scan(rule=rule)
    assert len(_about(rule, task=bounced)) == 1
    bounced.refresh_from_db()
    assert bounced.status == TaskStatus.NEW


def test_a_disabled_rule_raises_nothing_and_a_dry_run_writes_nothing(make_rule, report, places):
    rule = make_rule(RuleKind.TASK_OVERDUE, hours=0)
    task = report(places[0])
    later = task.deadline + dt.timedelta(hours=1)
    report_ = services.rules_scan(now=later, dry_run=True)
    assert f"{rule.pk}:task:{task.pk}" in [f.cause_key for f in report_.raised] and not SupervisionItem.objects.filter(rule=rule).exists()
    SupervisionRule.objects.filter(pk=rule.pk).update(enabled=False)
    assert services.rules_scan(now=later).raised_count == 0


@pytest.mark.parametrize("kind,parameters,message", [
    (RuleKind.TASK_OVERDUE, {"hours": -1}, "at least 0"),
    (RuleKind.TASK_OVERDUE, {"hourz": 3}, "Unknown parameters"),
    (RuleKind.COMPLAINT_CLUSTER, {"count": "three"}, "whole number"),
    (RuleKind.COMPLAINT_CLUSTER, {"scope": "street"}, "one or more of place, grid"),
    (RuleKind.CASE_OVERDUE, {"deadlines": []}, "one or more of"),
    (RuleKind.TASK_RETURNED, {"actions": "return"}, "must be a list"),
])
def test_a_rule_with_wrong_parameters_is_refused_with_a_clear_error(kind, parameters, message):
    rule = SupervisionRule(name="错误规则", kind=kind, parameters=parameters, deadline_days=3)
    with pytest.raises(ValidationError) as refused:
        rule.full_clean()
    assert message in " ".join(refused.value.message_dict["parameters"])


def test_an_explanation_template_may_name_only_parameters_and_measured_values():
    rule = SupervisionRule(name="模板", kind=RuleKind.TASK_OVERDUE, parameters={}, deadline_days=3, explanation="任务{task}超期{days}天")
    with pytest.raises(ValidationError) as refused:
        rule.full_clean()
    assert "{days}" in " ".join(refused.value.message_dict["explanation"])
    rule.explanation = "任务{task}超期{overdue_hours}小时，规则{hours}小时"
    rule.full_clean()
    assert rule.parameters == {"hours": 24}


def test_the_same_cause_raised_twice_keeps_one_item(make_rule, squad):
    rule = make_rule(RuleKind.TASK_OVERDUE, hours=0)
    fields = {"rule": rule, "title": "同一原因", "body": "测试", "measured": {}, "organization": squad, "region_code": squad.region.code}
    first = services.item_raise(cause_key=f"{rule.pk}:task:0", **fields)
    assert first is not None
    assert services.item_raise(cause_key=f"{rule.pk}:task:0", **fields) is None
    assert SupervisionItem.objects.filter(cause_key=f"{rule.pk}:task:0").count() == 1
