"""The portal's report form: a category a citizen may not choose answers exactly like one that does not exist."""
import pytest
from django.conf import settings as django_settings
from django.test import Client

from apps.accounts.models import Role
from apps.dispatch.models import Task
from apps.gbcp.models import Category, Organization
from tests.personas import five_callers


def report_form(point, category):
    return {"lat": f"{point.y:.6f}", "lon": f"{point.x:.6f}", "description": "东华门大街有流动摊贩占道经营，影响通行", "category": category}


@pytest.mark.django_db
def test_a_category_closed_to_the_public_is_refused_like_an_unknown_one_for_every_caller(dhm_point):
    hidden = Category.objects.filter(is_active=True, is_public=False).exclude(deadline_unit="").first()
    if hidden is None:
        hidden = Category.objects.filter(is_active=True).exclude(deadline_unit="").order_by("code").first()
        Category.objects.filter(pk=hidden.pk).update(is_public=False)
    callers = five_callers(role=Role.DISPATCHER, organization=Organization.objects.get(name="东华门街道综合行政执法队"))
    before = Task.objects.count()
    for who, user in callers.items():
        web = Client()
        web.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
        if user is not None:
            web.force_login(user)
        hidden_answer = web.post("/report/", report_form(dhm_point, hidden.code))
        unknown_answer = web.post("/report/", report_form(dhm_point, "no-such-code"))
        assert hidden_answer.status_code == unknown_answer.status_code == 400, who
        assert hidden_answer.context["form"].errors["category"] == unknown_answer.context["form"].errors["category"], who
    assert Task.objects.count() == before
