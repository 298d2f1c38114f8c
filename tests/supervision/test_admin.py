"""The admin: the bureau configures rules (parameters checked per kind, with history); items are shown, not edited."""
import pytest
from django.test import Client

from apps.supervision import services
from apps.supervision.models import SupervisionRule

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_(admin_user):
    client = Client()
    client.force_login(admin_user)
    return client


def test_a_rule_with_wrong_parameters_is_refused_and_a_right_one_saved_with_its_history(admin_client_, admin_user):
    form = {"name": "退回督办", "kind": "task_returned", "enabled": "on", "parameters": '{"times": 0}', "deadline_days": 3,
            "responsible": "district", "explanation": ""}
    refused = admin_client_.post("/admin/supervision/supervisionrule/add/", form)
    assert refused.status_code == 200 and "times 不能小于 1" in refused.content.decode()  # the admin speaks zh-hans
    assert not SupervisionRule.objects.filter(name="退回督办").exists()
    saved = admin_client_.post("/admin/supervision/supervisionrule/add/", {**form, "parameters": '{"times": 3}'})
    assert saved.status_code == 302
    rule = SupervisionRule.objects.get(name="退回督办")
    assert rule.parameters == {"times": 3, "actions": ["return"], "days": 90}
    assert rule.history.first().history_user == admin_user


def test_the_item_list_and_page_open_in_the_admin(admin_client_, supervisor, squad):
    item = services.item_create(user=supervisor, title="后台查看", organization=squad)
    assert admin_client_.get("/admin/supervision/supervisionitem/").status_code == 200
    assert admin_client_.get(f"/admin/supervision/supervisionitem/{item.pk}/change/").status_code == 200
    assert admin_client_.get("/admin/supervision/supervisionitem/add/").status_code == 403
