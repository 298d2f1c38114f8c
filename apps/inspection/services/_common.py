"""Private helpers the inspection service modules share: risk weight, place kinds and checking a filled checklist."""
from django.utils.translation import gettext as _

from apps.credit.selectors import risk_max_intervals, risk_weights
from apps.gbcp.errors import ApplicationError
from apps.gbcp.models import Place
from apps.inspection.models import Checklist, ChecklistItem, Outcome


def place_risk_weight(place) -> float:
    """Weight of a place in the draw: its risk level's weight from credit (probability proportional to risk)."""
    return place_risk_weights([place.pk])[place.pk]


def place_risk_weights(place_ids) -> dict:
    """{place id: draw weight} in one query; the draw stores these with its inputs, so it replays from its seed."""
    return risk_weights(list(place_ids))


def place_max_intervals(place_ids) -> dict:
    """{place id: the longest interval in days its risk level allows, or None}: high risk is inspected more often."""
    return risk_max_intervals(list(place_ids))


def check_kinds(place_kinds):
    unknown = [k for k in place_kinds if k not in Place.Kind.values]
    if unknown or not place_kinds:
        raise ApplicationError(_("Choose known place kinds."), code="invalid_place_kinds", details={"place_kinds": unknown})


def answers_checked(checklist: Checklist, answers) -> tuple[list, list[ChecklistItem]]:
    """``answers``: [{"item": id, "outcome": .., "note": ..}]; every active item answered exactly once."""
    items = {i.pk: i for i in checklist.items.filter(is_active=True).select_related("category")}
    given = {}
    for answer in answers:
        item_id = int(answer["item"])
        if item_id not in items:
            raise ApplicationError(_("Item %(item)s is not on this checklist.") % {"item": item_id}, code="unknown_item",
                                   details={"answers": [_("Unknown item %(item)s.") % {"item": item_id}]})
        if item_id in given:
            raise ApplicationError(_("Item %(item)s is answered twice.") % {"item": item_id}, code="duplicate_answer")
        if answer["outcome"] not in Outcome.values:
            raise ApplicationError(_("Unknown outcome."), code="unknown_outcome")
        given[item_id] = answer
    missing = sorted(set(items) - set(given))
    if missing:
        raise ApplicationError(_("Answer every item of the checklist."), code="incomplete_checklist", details={"missing_items": missing})
    ordered = sorted(items.values(), key=lambda i: (i.order, i.pk))
    return [(item, given[item.pk]) for item in ordered], ordered

