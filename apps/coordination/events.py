"""Real-time payloads of coordination, sent after commit through the realtime event helper (and stored as messages)."""
from django.utils.translation import gettext as _

from apps.accounts.jurisdiction import staff_members, users_covering
from apps.coordination.models import Direction
from apps.coordination.policy import COORDINATORS, DEPARTMENT_STAFF
from apps.realtime.events import publish


def _payload(lead):
    return {"id": lead.pk, "number": lead.number, "direction": lead.direction, "status": lead.status}


def _link(lead):
    return f"/coordination/leads/{lead.pk}/"


def _ours(lead):
    """Our coordinators whose jurisdiction holds the lead, and whoever created it."""
    users = {u.pk: u for u in users_covering(lead.region_code, roles=COORDINATORS)}
    if lead.created_by_id and lead.created_by_id not in users and lead.created_by is not None:
        users[lead.created_by_id] = lead.created_by
    return list(users.values())


def _department(lead):
    if lead.direction != Direction.OUT:
        return []
    return list(staff_members(organization_ids=[lead.department_id], roles=DEPARTMENT_STAFF))


def lead_sent(lead):
    """The receiving department hears of a lead handed out to it."""
    publish(event="coordination.lead_sent", payload=_payload(lead), users=_department(lead), organization_ids=[lead.department_id],
            title=_("Case lead %(number)s handed over to your department") % {"number": lead.number}, body=lead.title,
            level="warning", link=_link(lead))


def lead_answered(lead):
    """Our side hears the department's answer (accepted or refused, with the reason)."""
    title = (_("Case lead %(number)s accepted by %(department)s") if lead.status == "accepted"
             else _("Case lead %(number)s refused by %(department)s")) % {"number": lead.number, "department": lead.department.name}
    publish(event="coordination.lead_answered", payload=_payload(lead), users=_ours(lead), organization_ids=[lead.organization_id],
            title=title, body=lead.refusal_reason or lead.title, link=_link(lead))


def lead_registered(lead):
    """A lead from another department waits for our decision."""
    publish(event="coordination.lead_registered", payload=_payload(lead), users=_ours(lead), organization_ids=[lead.organization_id],
            title=_("Case lead %(number)s from %(department)s awaits acceptance") % {"number": lead.number, "department": lead.department.name},
            body=lead.title, level="warning", link=_link(lead))


def lead_deadline(lead, kind: str):
    """``kind``: receipt_reminder, receipt_overdue, feedback_reminder, feedback_overdue. Both sides hear of it."""
    titles = {
        "receipt_reminder": _("Case lead %(number)s: receipt due soon"),
        "receipt_overdue": _("Case lead %(number)s: receipt overdue"),
        "feedback_reminder": _("Case lead %(number)s: result due soon"),
        "feedback_overdue": _("Case lead %(number)s: result overdue"),
    }
    users = {u.pk: u for u in [*_ours(lead), *_department(lead)]}
    publish(event=f"coordination.{kind}", payload={**_payload(lead), "kind": kind}, users=users.values(),
            organization_ids=[lead.organization_id, lead.department_id], title=titles[kind] % {"number": lead.number}, body=lead.title,
            level="urgent" if kind.endswith("overdue") else "warning", link=_link(lead))
