"""The demo seed of emergency: five pre-plans of 东城区, run twice without duplicates."""
import pytest

from apps.emergency import demo
from apps.emergency.models import PrePlan

pytestmark = pytest.mark.django_db


class Ctx:
    def __init__(self):
        self.said = []

    def say(self, text):
        self.said.append(text)


def test_seed_is_idempotent():
    demo.seed(Ctx())
    demo.seed(Ctx())
    plans = PrePlan.objects.filter(region__code="110101", is_current=True)
    assert sorted(plans.values_list("event_type", flat=True)) == ["gale", "heat", "major_event", "rainstorm", "snowstorm"]
    assert all(plan.steps.exists() for plan in plans)
