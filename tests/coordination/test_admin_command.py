"""The admin shows coordination read-only (the secret hash never), the sweep command reports what it sent, the demo has
the other departments, one lead each way and one joint operation."""
import io

import pytest
from django.core.management import call_command
from django.test import Client

from apps.accounts.models import User
from apps.coordination import services
from apps.coordination.demo import _joint_operation
from apps.coordination.models import Direction, JointOperation, Lead
from apps.gbcp.models import Organization

pytestmark = pytest.mark.django_db


def test_the_admin_lists_leads_and_tokens_read_only(admin_user, dispatcher, bureau, market):
    lead = services.lead_create(user=dispatcher, organization=bureau, department=market, title="后台只读", facts="x")
    token, _secret = services.token_issue(user=admin_user, organization=market, purpose="后台", datasets=["tasks"], region_code="110101", days=3)
    client = Client()
    client.force_login(admin_user)
    assert lead.number in client.get("/admin/coordination/lead/").content.decode()
    page = client.get(f"/admin/coordination/lead/{lead.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.get("/admin/coordination/lead/add/").status_code == 403
    token_page = client.get(f"/admin/coordination/sharetoken/{token.pk}/change/").content.decode()
    assert token.secret_hash not in token_page


def test_the_sweep_command_says_what_it_sent():
    out = io.StringIO()
    call_command("coordination_sweep", stdout=out)
    assert "receipt reminder" in out.getvalue()


def test_the_demo_has_departments_and_a_lead_each_way():
    assert Organization.objects.filter(name="东城区市场监督管理局", kind=Organization.Kind.FUNCTIONAL_DEPARTMENT).exists()
    assert Lead.objects.filter(direction=Direction.OUT, status="sent").exists() and Lead.objects.filter(direction=Direction.IN).exists()


def test_the_admin_shows_joint_operations_read_only(admin_user, squad_leader, squad, market):
    if not JointOperation.objects.exists():  # a database seeded before joint operations existed
        _joint_operation(type("Ctx", (), {"say": lambda self, text: None})(), Organization.objects.get(name="东城区市场监督管理局"))
    operation = JointOperation.objects.get(title="东华门大街无证经营联合整治")
    assert operation.attendance.filter(user=User.objects.get(username="dhm_officer1")).exists()
    client = Client()
    client.force_login(admin_user)
    assert operation.title in client.get("/admin/coordination/jointoperation/").content.decode()
    page = client.get(f"/admin/coordination/jointoperation/{operation.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.get("/admin/coordination/jointoperation/add/").status_code == 403
