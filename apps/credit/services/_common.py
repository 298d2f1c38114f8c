"""Private helpers the credit service modules share: the active rule set (made on first need) and after-commit recomputes."""
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.credit.models import GradeRuleSet
from apps.gbcp.aftercommit import enqueue


def ruleset_current() -> GradeRuleSet:
    """The active rule set; the default one (version 1, the values of ``rules``) if none was ever made."""
    active = GradeRuleSet.objects.filter(is_active=True).first()
    if active is not None:
        return active
    try:
        with transaction.atomic():
            return GradeRuleSet.objects.create(version=(GradeRuleSet.objects.order_by("-version").values_list("version", flat=True).first() or 0) + 1,
                                               name="default", is_active=True, activated_at=timezone.now())
    except IntegrityError:  # made at the same moment by another caller
        return GradeRuleSet.objects.get(is_active=True)


def grade_recompute_later(entity_id) -> None:
    """After commit, recompute the grade of the business (and from it the risk of its places)."""
    enqueue("apps.credit.tasks.grade_recompute", entity_id)
