"""A category's dispatch rule starts from the same dedup defaults a category without a rule uses."""
from django.test import override_settings

from apps.dispatch import dedup
from apps.dispatch.models import CategoryRule
from apps.gbcp.models import Category


def test_a_new_rule_starts_from_the_settings_defaults(db):
    rule = CategoryRule(category=Category.objects.filter(children__isnull=True).first())
    defaults = dedup.Rule(rule.dedup_radius_m, rule.dedup_window_hours, rule.merge_threshold, rule.suggest_threshold)
    category_without_rule = Category.objects.filter(children__isnull=True, dispatch_rule__isnull=True).first()
    assert defaults == dedup.rule_for(category_without_rule)


@override_settings(DISPATCH_DEDUP_DEFAULTS={"radius_m": 80, "window_hours": 24, "merge_threshold": 0.9, "suggest_threshold": 0.5})
def test_the_defaults_follow_the_settings(db):
    rule = CategoryRule()
    assert (rule.dedup_radius_m, rule.dedup_window_hours, rule.merge_threshold, rule.suggest_threshold) == (80, 24, 0.9, 0.5)
