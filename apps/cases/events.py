"""Real-time payloads of enforcement cases, sent after commit through the realtime event helper."""
from apps.realtime.events import publish


def _payload(case):
    return {"id": case.pk, "number": case.number, "status": case.status, "procedure": case.procedure,
            "decision_due": case.decision_due.isoformat() if case.decision_due else None}


def _link(case):
    return f"/cases/{case.pk}/"


def _squad_leaders(case):
    from apps.accounts.models import Membership, Role

    return [m.user for m in Membership.objects.filter(organization_id=case.organization_id, role=Role.SQUAD_LEADER, is_active=True).select_related("user")]


def _role_holders(case, roles):
    from apps.accounts.models import Membership

    members = Membership.objects.filter(role__in=roles, is_active=True).select_related("organization__region", "user")
    return [m.user for m in members if (case.region_code or "").startswith(m.organization.region.scope)]


def case_step(case, title, *, roles=(), body="", level="info"):
    """A step that someone else must act on: the owner (or holders of ``roles`` in the jurisdiction) are told."""
    users = _role_holders(case, roles) if roles else ([case.owner] if case.owner_id else [])
    publish(event="case.step", payload=_payload(case), users={u.pk: u for u in users}.values(), title=title, body=body, level=level, link=_link(case))


def case_deadline(case, point, message):
    users = ([case.owner] if case.owner_id else []) + _squad_leaders(case)
    publish(event="case.deadline", payload={**_payload(case), "point": point}, users={u.pk: u for u in users}.values(),
            region_code=case.region_code or None, title=message, level="warning", link=_link(case))
