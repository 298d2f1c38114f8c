import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from apps.accounts.models import User
from apps.gbcp.models import Category, Entity, Grid, Organization, Place, Region


def counts():
    from apps.devices.models import Device
    from apps.dispatch.models import Partner, Task

    return [m.objects.count() for m in (Region, Grid, Organization, Category, Entity, Place, User, Task, Partner, Device)]


@pytest.mark.django_db
def test_the_session_demo_city_has_real_streets_and_generated_communities():
    district = Region.objects.get(code="110101")
    assert district.name == "东城区" and not district.geometry_generated
    street = Region.objects.get(code="110101001")
    assert street.name == "东华门街道" and not street.geometry_generated
    assert Region.objects.get(code="110101001001").geometry_generated
    assert Region.objects.filter(level=3, code__startswith="110101").count() == 17
    assert Category.objects.exclude(deadline_unit="").count() >= 60


@pytest.mark.django_db
def test_seed_demo_runs_twice_without_changing_anything_but_the_password(settings):
    before = counts()
    settings.DEMO_PASSWORD = "another-demo-password"
    out = io.StringIO()
    call_command("seed_demo", districts="110101,110102,110108", places=60, entities=30, quiet_progress=True, stdout=out)
    assert counts() == before
    assert User.objects.get(username="admin").check_password("another-demo-password")
    assert "dc_dispatcher" in out.getvalue() and "another-demo-password" in out.getvalue()


@pytest.mark.django_db
def test_seed_demo_refuses_in_production_settings(settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError):
        call_command("seed_demo", stdout=io.StringIO())
