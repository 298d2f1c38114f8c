"""Real-time payloads of supervision, sent after commit through the realtime event helper (and stored as messages)."""
from django.utils.translation import gettext as _

from apps.accounts.jurisdiction import staff_members, users_covering
from apps.realtime.events import publish
from apps.supervision.policy import SUPERVISORS


def _payload(item):
    return {"id": item.pk, "number": item.number, "status": item.status, "alert": item.alert,
            "organization": item.organization_id, "source": item.source}


def _link(item):
    return f"/supervision/{item.pk}/"


def _unit(item):
    return list(staff_members(organization_ids=[item.organization_id]))


def item_new(item):
    """A new item: its responsible unit and the supervisors and leaders whose jurisdiction holds it hear of it."""
    users = {u.pk: u for u in [*_unit(item), *users_covering(item.region_code, roles=SUPERVISORS)]}
    publish(event="supervision.new", payload=_payload(item), users=users.values(), organization_ids=[item.organization_id],
            title=_("New supervision item %(number)s") % {"number": item.number}, body=item.title, level="warning", link=_link(item))


def item_dispatched(item):
    publish(event="supervision.dispatched", payload=_payload(item), users=_unit(item), organization_ids=[item.organization_id],
            title=_("Supervision item %(number)s dispatched to your unit") % {"number": item.number}, body=item.title,
            level="warning", link=_link(item))


def item_returned(item, reason):
    publish(event="supervision.returned", payload={**_payload(item), "reason": reason}, users=_unit(item),
            organization_ids=[item.organization_id], title=_("Supervision item %(number)s returned") % {"number": item.number},
            body=reason, level="warning", link=_link(item))


def item_alert(item, level):
    """Yellow (four fifths of the time used) or red (overdue): the unit and the supervisors are warned."""
    users = {u.pk: u for u in [*_unit(item), *users_covering(item.region_code, roles=SUPERVISORS)]}
    title = (_("Supervision item %(number)s is overdue") if level == "red"
             else _("Supervision item %(number)s: 80%% of its time used")) % {"number": item.number}
    publish(event="supervision.overdue" if level == "red" else "supervision.yellow", payload=_payload(item), users=users.values(),
            organization_ids=[item.organization_id], title=title, body=item.title, level="urgent" if level == "red" else "warning",
            link=_link(item))
