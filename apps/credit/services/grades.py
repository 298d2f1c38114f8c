"""Grades A–D recomputed from the active records under the active rule set; rule-set versions and their activation."""
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.credit import rules
from apps.credit.models import CreditRecord, EntityGrade, GradeRuleSet
from apps.credit.policy import require
from apps.credit.selectors import entity_region_code
from apps.credit.services._common import ruleset_current
from apps.credit.services.risk import recompute_place_risk
from apps.gbcp.aftercommit import enqueue
from apps.gbcp.audit import acting_as
from apps.gbcp.errors import ApplicationError
from apps.gbcp.models import Entity


@transaction.atomic
def recompute_grade(*, entity: Entity, user=None, with_places=True) -> EntityGrade:
    """The grade from the active records (each listed with its weight); saved, with history, only when it changed.

    Then the risk of the places the business operates follows its grade."""
    entity = Entity.objects.select_related("region").get(pk=entity.pk)
    region_code = entity_region_code(entity)
    if user is not None:
        require(user=user, step="recompute", subject=EntityGrade(entity=entity, region_code=region_code))
    ruleset = ruleset_current()
    active = CreditRecord.objects.filter(entity=entity, status=CreditRecord.Status.ACTIVE).order_by("pk")
    score, grade, contributions = rules.grade_compute(
        base=ruleset.base_score, a_min=ruleset.a_min, b_min=ruleset.b_min, c_min=ruleset.c_min,
        records=[rules.RecordIn(r.pk, r.kind, r.weight, r.occurred_on, r.reason) for r in active],
    )
    current = EntityGrade.objects.select_for_update().filter(entity=entity).first()
    with acting_as(user):
        if current is None:
            current = EntityGrade.objects.create(entity=entity, region_code=region_code, grade=grade, score=score, ruleset=ruleset,
                                                 base_score=ruleset.base_score, contributions=contributions)
        elif (current.grade, current.score, current.ruleset_id, current.contributions, current.region_code) != (
                grade, score, ruleset.pk, contributions, region_code):
            current.grade, current.score, current.ruleset, current.contributions = grade, score, ruleset, contributions
            current.base_score, current.region_code, current.computed_at = ruleset.base_score, region_code, timezone.now()
            current.save()
    if with_places:
        for place in entity.places.filter(is_active=True).select_related("region").order_by("pk"):
            recompute_place_risk(place=place, user=user, operator_grade=current)
    return current


@transaction.atomic
def ruleset_new_version(*, user=None, source: GradeRuleSet | None = None, **changes) -> GradeRuleSet:
    """A new, inactive version copied from ``source`` (default: the active one) with ``changes``; versions are never edited in use."""
    source = source or ruleset_current()
    fields = {f.name: getattr(source, f.name) for f in GradeRuleSet._meta.concrete_fields
              if f.name not in {"id", "version", "is_active", "created_at", "activated_at"}}
    fields.update(changes)
    unknown = set(changes) - set(fields)
    if unknown:
        raise ApplicationError(_("Unknown rule-set fields: %(names)s.") % {"names": ", ".join(sorted(unknown))}, code="unknown_fields")
    version = (GradeRuleSet.objects.order_by("-version").values_list("version", flat=True).first() or 0) + 1
    with acting_as(user):
        return GradeRuleSet.objects.create(version=version, is_active=False, **fields)


@transaction.atomic
def ruleset_activate(*, user=None, ruleset: GradeRuleSet) -> GradeRuleSet:
    """Make this version the one in force; every grade and risk is recomputed under it after commit."""
    if not (0 <= ruleset.c_min <= ruleset.b_min <= ruleset.a_min <= 100):
        raise ApplicationError(_("The thresholds must rise from C to B to A within 0 to 100."), code="invalid_thresholds")
    with acting_as(user):
        for old in GradeRuleSet.objects.select_for_update().filter(is_active=True).exclude(pk=ruleset.pk):
            old.is_active = False
            old.save(update_fields=["is_active"])
        ruleset.is_active, ruleset.activated_at = True, timezone.now()
        ruleset.save(update_fields=["is_active", "activated_at"])
    enqueue("apps.credit.tasks.grades_recompute_all")
    return ruleset


def recompute_all(*, user=None, entity_ids=None) -> int:
    """Every graded business (or ``entity_ids``) recomputed, one transaction each; returns how many."""
    if entity_ids is None:
        ids = set(EntityGrade.objects.values_list("entity_id", flat=True)) | set(
            CreditRecord.objects.order_by().values_list("entity_id", flat=True).distinct())
    else:
        ids = set(entity_ids)
    for pk in sorted(ids):
        recompute_grade(entity=Entity(pk=pk), user=user)
    return len(ids)
