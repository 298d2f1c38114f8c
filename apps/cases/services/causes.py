"""The cause catalogue (案由 and 裁量基准): loading it and the legal office's confirmation of citations."""
from decimal import Decimal

from django.db import transaction

from apps.cases.catalogue import CAUSES
from apps.cases.models import CaseCause, DiscretionLevel
from apps.gbcp.audit import acting_as
from apps.gbcp.models import Category


@transaction.atomic
def cause_confirm_citations(*, user, causes) -> int:
    """The legal office confirms the legal and penalty basis of these causes (recorded in history)."""
    confirmed = 0
    with acting_as(user):
        for cause in CaseCause.objects.select_for_update().filter(pk__in=[c.pk for c in causes], citation_confirmed=False):
            cause.citation_confirmed = True
            cause.save(update_fields=["citation_confirmed"])
            confirmed += 1
    return confirmed


def catalogue_load(*, user, causes=None) -> dict:
    """Upsert the causes of ``apps.cases.catalogue`` (idempotent); a cause whose citation the legal
    office confirmed is never overwritten."""
    if causes is None:
        causes = CAUSES
    counts = {"created": 0, "updated": 0, "unchanged": 0, "kept_confirmed": 0}
    categories = {c.code: c for c in Category.objects.all()}
    with transaction.atomic(), acting_as(user):
        existing = {c.code: c for c in CaseCause.objects.prefetch_related("levels", "categories")}
        for item in causes:
            cause = existing.get(item["code"])
            values = {k: item.get(k, default) for k, default in (
                ("name", ""), ("area", ""), ("legal_basis", ""), ("penalty_basis", ""), ("simple_allowed", False), ("serious_harm", False)
            )}
            if cause is not None and cause.citation_confirmed:
                counts["kept_confirmed"] += 1
                continue
            if cause is None:
                cause = CaseCause.objects.create(code=item["code"], **values)
                counts["created"] += 1
                changed = True
            else:
                changed = any(getattr(cause, k) != v for k, v in values.items())
                if changed:
                    for k, v in values.items():
                        setattr(cause, k, v)
                    cause.save()
            wanted_cats = {categories[c].pk for c in item.get("category_codes", []) if c in categories}
            if wanted_cats != {c.pk for c in cause.categories.all()}:
                cause.categories.set(wanted_cats)
                changed = True
            have = {lv.level: lv for lv in cause.levels.all()}
            for spec in item.get("levels", []):
                values = {
                    "conditions": spec.get("conditions", ""), "harm": spec.get("harm", ""),
                    "fine_min": Decimal(str(spec.get("fine_min", 0))).quantize(Decimal("0.01")),
                    "fine_max": Decimal(str(spec.get("fine_max", 0))).quantize(Decimal("0.01")),
                    "warning_allowed": bool(spec.get("warning_allowed", False)),
                }
                level = have.get(spec["level"])
                if level is None:
                    DiscretionLevel.objects.create(cause=cause, level=spec["level"], **values)
                    changed = True
                elif any(getattr(level, k) != v for k, v in values.items()):
                    for k, v in values.items():
                        setattr(level, k, v)
                    level.save()
                    changed = True
            if cause.pk and item["code"] in existing:
                counts["updated" if changed else "unchanged"] += 1
    return counts
