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


def test_the_demo_gives_the_pages_something_to_show(client):
    """dc_leader (东城区) sees the warning in force with its one-key buttons, the pre-plans and the past incident."""
    from django.urls import reverse

    from apps.accounts.models import User
    from apps.emergency.models import Alert, Incident

    demo.seed(Ctx())
    client.force_login(User.objects.get(username="dc_leader"))
    home = client.get(reverse("emergency-home")).content.decode()
    warning = Alert.objects.get(identifier=demo.DEMO_ALERT)
    plan = PrePlan.objects.get(region__code="110101", event_type="rainstorm", is_current=True)
    assert str(warning) in home and reverse("emergency-plan-activate", args=[plan.pk]) in home
    assert Incident.objects.filter(plan__region__code="110101", status=Incident.Status.CLOSED).exists()
    assert all(step.area_grid_id for step in plan.steps.all())
    for url in (reverse("emergency-plans"), reverse("emergency-alerts"), reverse("emergency-alert-detail", args=[warning.pk]),
                reverse("emergency-plan-detail", args=[plan.pk]), reverse("emergency-plan-new")):
        assert client.get(url).status_code == 200, url
