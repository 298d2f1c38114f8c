"""Real-time payloads of enforcement cases, sent after commit through the realtime event helper."""
from apps.accounts.jurisdiction import staff_members, users_covering
from apps.accounts.models import Role
from apps.realtime.events import publish


def _payload(case):
    return {"id": case.pk, "number": case.number, "status": case.status, "procedure": case.procedure,
            "decision_due": case.decision_due.isoformat() if case.decision_due else None}


def _link(case):
    return f"/cases/{case.pk}/"


def _squad_leaders(case):
    return list(staff_members(organization_ids=[case.organization_id], roles=(Role.SQUAD_LEADER,)))


def case_step(case, title, *, roles=(), body="", level="info"):
    """A step that someone else must act on: the owner (or holders of ``roles`` in the jurisdiction) are told."""
    users = users_covering(case.region_code, roles=roles) if roles else ([case.owner] if case.owner_id else [])
    publish(event="case.step", payload=_payload(case), users={u.pk: u for u in users}.values(), title=title, body=body, level=level, link=_link(case))


def case_deadline(case, point, message):
    users = ([case.owner] if case.owner_id else []) + _squad_leaders(case)
    publish(event="case.deadline", payload={**_payload(case), "point": point}, users={u.pk: u for u in users}.values(),
            region_code=case.region_code or None, title=message, level="warning", link=_link(case))


def disclosure_deadline(case, point, message):
    """Publishing and withdrawing decisions is the legal staff's: the legal reviewers and leaders of the jurisdiction hear."""
    users = users_covering(case.region_code, roles=(Role.LEGAL_REVIEWER, Role.LEADER))
    publish(event="case.deadline", payload={**_payload(case), "point": point}, users=users, region_code=case.region_code or None,
            title=message, level="warning", link=_link(case))
