"""Real-time payloads of the task centre, sent after commit through the realtime event helper."""
from django.utils.translation import gettext as _

from apps.accounts.jurisdiction import staff_members, users_covering
from apps.accounts.models import Role
from apps.realtime.events import publish


def _payload(task):
    return {
        "id": task.pk, "number": task.number, "status": task.status, "alert": task.alert,
        "category": task.category.name if task.category_id else None,
        "organization": task.organization_id,
        "lat": task.point.y if task.point else None, "lon": task.point.x if task.point else None,
    }


def _link(task):
    return f"/dispatch/tasks/{task.pk}/"


def task_new(task):
    publish(event="task.new", payload=_payload(task), region_code=task.region_code or None, persist=False,
            title=_("New task %(number)s") % {"number": task.number}, body=task.description[:80], link=_link(task))


def task_merged(report, master):
    publish(event="task.merged", payload={**_payload(master), "report": report.number}, region_code=master.region_code or None, persist=False,
            title=_("Report merged into %(number)s") % {"number": master.number}, link=_link(master))


def task_dispatched(task):
    # Only those who serve in the organisation as staff: a merchant or citizen listed there is no recipient.
    members = list(staff_members(organization_ids=[task.organization_id])) if task.organization_id else []
    if task.owner_id and all(m.pk != task.owner_id for m in members):
        members.append(task.owner)
    publish(event="task.dispatched", payload=_payload(task), users=members, region_code=task.region_code or None,
            title=_("Task %(number)s dispatched to you") % {"number": task.number}, body=task.description[:80], link=_link(task))


def task_feedback(task):
    """The result is in: the dispatchers whose jurisdiction holds the task are told that it awaits their check."""
    users = users_covering(task.region_code or "", roles=[Role.DISPATCHER])
    publish(event="task.feedback", payload=_payload(task), users=users, region_code=task.region_code or None,
            title=_("Task %(number)s: feedback awaits your verification") % {"number": task.number},
            body=(task.result or "")[:80], link=_link(task))


def task_returned(task, reason):
    publish(event="task.returned", payload={**_payload(task), "reason": reason}, region_code=task.region_code or None, persist=False,
            title=_("Task %(number)s returned") % {"number": task.number}, body=reason, level="warning", link=_link(task))


def task_closed(task):
    publish(event="task.closed", payload=_payload(task), region_code=task.region_code or None, persist=False,
            title=_("Task %(number)s closed") % {"number": task.number}, link=_link(task))


def task_alert(task, level):
    users = [task.owner] if task.owner_id else []
    # The dispatchers whose jurisdiction holds the task are told too.
    code = task.region_code or ""
    users += users_covering(code, roles=[Role.DISPATCHER])
    title = (_("Task %(number)s is overdue") if level == "red" else _("Task %(number)s: 80%% of its time used")) % {"number": task.number}
    publish(event="task.overdue" if level == "red" else "task.yellow", payload=_payload(task), users={u.pk: u for u in users}.values(),
            region_code=code or None, title=title, level="urgent" if level == "red" else "warning", link=_link(task))


def whistle_blown(whistle, departments):
    users = list(staff_members(organization_ids=[d.pk for d in departments]))
    publish(event="whistle.blown", payload={"task": whistle.task_id, "whistle": whistle.pk}, users=users,
            organization_ids=[d.pk for d in departments], title=_("Whistle: report in on task %(number)s") % {"number": whistle.task.number},
            body=whistle.reason, level="urgent", link=_link(whistle.task))
