"""What each kind of rule measures: the causes it finds now, each with what was measured and what lies behind it.

Reads only: the tasks, ratings and whistles through ``apps.dispatch.selectors``, cases through ``apps.cases.selectors``.
Raising the items (once per cause) is ``apps.supervision.services.rules``.
"""
import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from apps.cases import selectors as case_selectors
from apps.dispatch import selectors as task_selectors
from apps.supervision.rulekinds import RuleKind
from apps.supervision.selectors import task_ids_covered_by

CASE_DEADLINE_FIELDS = {"decision": "decision_due", "service": "service_due", "payment": "payment_due", "cash_handin": "cash_handin_due",
                        "disclosure": "disclosure_due_at", "withdrawal": "disclosure_withdrawal_due"}  # all but the first three annotated by the selector
CASE_DEADLINE_NAMES = {"decision": "作出处罚决定期限", "service": "送达期限", "payment": "缴款期限", "cash_handin": "当场收缴罚款上缴期限", "disclosure": "处罚决定公示期限",
                       "withdrawal": "撤回公示期限"}


@dataclass
class Finding:
    """One cause: its key (unique per rule), a title, the measured values, what it links to and who answers for it."""

    cause_key: str
    title: str
    measured: dict
    region_code: str
    handler: object = None  # the subject's handling unit (an Organization), if it has one
    links: dict = field(default_factory=dict)  # task / case / whistle / place / grid objects
    related_task_ids: list = field(default_factory=list)


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "—"


def _hours(delta: dt.timedelta) -> int:
    return int(delta.total_seconds() // 3600)


def _task_links(task) -> dict:
    return {"task": task, "place": task.place, "grid": task.grid}


def _key(rule, *parts) -> str:
    return ":".join([str(rule.pk), *map(str, parts)])


def task_overdue(rule, params, now):
    for task in task_selectors.supervision_tasks_overdue(cutoff=now - dt.timedelta(hours=params["hours"])):
        yield Finding(
            cause_key=_key(rule, "task", task.pk), title=f"任务{task.number}超期未办结", region_code=task.region_code, handler=task.organization,
            measured={"task": task.number, "deadline": _local(task.deadline), "overdue_hours": _hours(now - task.deadline)},
            links=_task_links(task), related_task_ids=[task.pk],
        )


def complaint_cluster(rule, params, now):
    """K or more complaints at one place (or in one grid) within D days; a complaint counts in one cluster only, so a
    cluster that grows raises nothing new until K more complaints come in."""
    covered = task_ids_covered_by(rule)
    groups = {}
    by_place = params["scope"] == "place"
    for task in task_selectors.supervision_complaints_since(since=now - dt.timedelta(days=params["days"])):
        spot = task.place if by_place else task.grid
        if spot is None or task.pk in covered:
            continue
        groups.setdefault(spot.pk, (spot, []))[1].append(task)
    for spot_id, (spot, tasks) in sorted(groups.items()):
        if len(tasks) < params["count"]:
            continue
        latest = tasks[-1]
        where = f"{'地点' if by_place else '网格'}“{spot.name}”"
        yield Finding(
            cause_key=_key(rule, params["scope"], spot_id, tasks[0].pk), title=f"{where}{params['days']}日内重复投诉{len(tasks)}件",
            region_code=latest.region_code, handler=latest.organization,
            measured={"where": where, "measured_count": len(tasks), "first": _local(tasks[0].received_at), "last": _local(latest.received_at),
                      "tasks": "、".join(t.number for t in tasks)},
            links={"place": spot} if by_place else {"grid": spot, "place": None}, related_task_ids=[t.pk for t in tasks],
        )


def dissatisfied(rule, params, now):
    for task in task_selectors.supervision_dissatisfied_since(since=now - dt.timedelta(days=params["days"])):
        rating = task.rating
        yield Finding(
            cause_key=_key(rule, "rating", rating.pk), title=f"任务{task.number}群众不满意", region_code=task.region_code, handler=task.organization,
            measured={"task": task.number, "comment": rating.comment or "—", "rated_at": _local(rating.rated_at)},
            links=_task_links(task), related_task_ids=[task.pk],
        )


def whistle_late(rule, params, now):
    minutes = params["minutes"]
    summonses = task_selectors.supervision_summonses_late(
        blown_since=now - dt.timedelta(days=params["days"]), late_minutes=minutes, due_before=now - dt.timedelta(minutes=minutes))
    for summons in summonses:
        task = summons.whistle.task
        late = f"迟到{summons.late_minutes}分钟" if summons.reported_at else "至今未报到"
        yield Finding(
            cause_key=_key(rule, "summons", summons.pk), title=f"{summons.department.name}未按时报到（{late}）", region_code=task.region_code or summons.department.region.code,
            handler=summons.department,
            measured={"task": task.number, "department": summons.department.name, "due_at": _local(summons.due_at), "late_minutes": late,
                      "summons": summons.pk},
            links={**_task_links(task), "whistle": summons.whistle}, related_task_ids=[task.pk],
        )


def case_overdue(rule, params, now):
    cutoff = timezone.localtime(now - dt.timedelta(hours=params["hours"]))
    for which in params["deadlines"]:
        for case in case_selectors.supervision_cases_past_deadline(deadline=which, cutoff=cutoff):
            due = getattr(case, CASE_DEADLINE_FIELDS[which])
            due_moment = due if isinstance(due, dt.datetime) else timezone.make_aware(dt.datetime.combine(due + dt.timedelta(days=1), dt.time()))
            yield Finding(
                cause_key=_key(rule, "case", case.pk, which), title=f"案件{case.number}超过{CASE_DEADLINE_NAMES[which]}",
                region_code=case.region_code, handler=case.organization,
                measured={"case": case.number, "deadline": CASE_DEADLINE_NAMES[which], "due": _local(due_moment) if isinstance(due, dt.datetime) else str(due),
                          "overdue_hours": max(0, _hours(now - due_moment))},
                links={"case": case, "place": case.place},
            )


def task_returned(rule, params, now):
    tasks = task_selectors.supervision_tasks_returned(actions=params["actions"], more_than=params["times"],
                                                      received_since=now - dt.timedelta(days=params["days"]))
    for task in tasks:
        yield Finding(
            cause_key=_key(rule, "task", task.pk), title=f"任务{task.number}多次退回", region_code=task.region_code, handler=task.organization,
            measured={"task": task.number, "returns": task.return_count}, links=_task_links(task), related_task_ids=[task.pk],
        )


CHECKS = {
    RuleKind.TASK_OVERDUE: task_overdue,
    RuleKind.COMPLAINT_CLUSTER: complaint_cluster,
    RuleKind.DISSATISFIED: dissatisfied,
    RuleKind.WHISTLE_LATE: whistle_late,
    RuleKind.CASE_OVERDUE: case_overdue,
    RuleKind.TASK_RETURNED: task_returned,
}
