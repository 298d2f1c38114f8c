"""Checklists: one per place kind, kept by the seed and the admin, filled at every inspection and self-check."""
from django.db import transaction
from django.utils.translation import gettext as _

from apps.gbcp.audit import acting_as
from apps.gbcp.errors import ApplicationError
from apps.gbcp.models import Category
from apps.inspection.models import Checklist, ChecklistItem


def checklist_for_kind(place_kind: str) -> Checklist:
    checklist = Checklist.objects.filter(place_kind=place_kind, is_active=True).first()
    if checklist is None:
        raise ApplicationError(_("There is no checklist for this kind of place."), code="no_checklist")
    return checklist


@transaction.atomic
def checklist_ensure(*, user, place_kind: str, name: str, items) -> Checklist:
    """Create or update a checklist; ``items``: [(text, legal_basis, cause_code, category_code)], matched by text."""
    with acting_as(user):
        checklist, _created = Checklist.objects.get_or_create(place_kind=place_kind, defaults={"name": name})
        if checklist.name != name:
            checklist.name = name
            checklist.save()
        categories = {c.code: c for c in Category.objects.filter(code__in=[row[3] for row in items if row[3]])}
        existing = {i.text: i for i in checklist.items.all()}
        for order, (text, legal_basis, cause_code, category_code) in enumerate(items, start=1):
            item = existing.get(text) or ChecklistItem(checklist=checklist, text=text)
            wanted = (order, legal_basis, cause_code, categories.get(category_code))
            if item.pk is None or (item.order, item.legal_basis, item.cause_code, item.category) != wanted:
                item.order, item.legal_basis, item.cause_code, item.category = wanted
                item.save()
    return checklist
