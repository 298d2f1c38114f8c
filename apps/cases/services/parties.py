"""The party of a case (当事人) and the discretion proposal that follows from the facts entered about it."""
import datetime as dt

from django.utils.translation import gettext as _

from apps.cases import discretion
from apps.cases.models import PartyKind
from apps.gbcp.errors import ApplicationError
from apps.gbcp.models import Entity, Person
from apps.gbcp.validators import is_valid_resident_id, is_valid_uscc


def party_fields(entity, person) -> dict:
    """The party columns of a case taken from a linked organisation or citizen."""
    if entity is not None:
        return {"party_kind": PartyKind.ORGANISATION, "party_name": entity.name, "party_code": entity.uscc, "party_address": entity.address}
    if person is not None:
        return {"party_kind": PartyKind.CITIZEN, "party_name": person.name, "party_code": person.id_number or "", "party_address": person.address}
    return {}


def apply_proposal(case, facts: dict):
    """Store the discretion facts and the proposal they give for the case's cause (None without a cause)."""
    facts = {**facts, "party_kind": case.party_kind or facts.get("party_kind") or PartyKind.CITIZEN}
    case.discretion_facts = _jsonable(facts)
    if case.cause_id is None:
        case.proposal = {}
        return None
    proposal = discretion.propose_penalty(cause=case.cause, facts=facts)
    case.proposal = proposal.as_json()
    return proposal


def _jsonable(facts):
    return {k: (v.isoformat() if isinstance(v, (dt.date, dt.datetime)) else v) for k, v in facts.items()}


def party_resolve(*, party_kind: str, name: str, code: str):
    """Validate a party's name and code (GB 11643 / GB 32100) and link an existing Person/Entity where one matches."""
    name, code = (name or "").strip(), (code or "").strip().upper()
    if not name:
        raise ApplicationError(_("Name the party."), code="party_required", details={"party_name": [_("This field is required.")]})
    if party_kind == PartyKind.ORGANISATION:
        if not is_valid_uscc(code):
            raise ApplicationError(_("Not a valid unified social credit code."), code="invalid_uscc", details={"party_code": [_("Not a valid unified social credit code.")]})
        return Entity.objects.filter(uscc=code).first(), None, code
    if party_kind == PartyKind.CITIZEN:
        if not is_valid_resident_id(code):
            raise ApplicationError(_("Not a valid resident ID number."), code="invalid_resident_id", details={"party_code": [_("Not a valid resident ID number.")]})
        return None, Person.objects.filter(id_number=code).first(), code
    raise ApplicationError(_("Unknown party kind."), code="invalid_party_kind")
