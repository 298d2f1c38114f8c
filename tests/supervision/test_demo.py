"""The demo seeds one valid rule of each kind and raises no item by itself."""
import pytest

from apps.supervision.models import SupervisionItem, SupervisionRule
from apps.supervision.rulekinds import RuleKind, clean_parameters

pytestmark = pytest.mark.django_db


def test_the_demo_has_one_valid_rule_of_each_kind_and_no_items():
    rules = list(SupervisionRule.objects.filter(name__endswith="督办"))
    assert sorted(r.kind for r in rules) == sorted(RuleKind.values)
    for rule in rules:
        assert clean_parameters(rule.kind, rule.parameters) == rule.parameters
        assert rule.history.exists()
    assert not SupervisionItem.objects.filter(rule__in=rules).exists()
