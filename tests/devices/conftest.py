"""Fixtures of the devices suite: devices registered through the service, with known tokens, in 东城 and 海淀."""
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

TOKEN = "test-device-token-0123456789"
BEIJING = ZoneInfo("Asia/Shanghai")


def register(**kwargs):
    from apps.devices import services

    kwargs.setdefault("token", TOKEN)
    return services.device_register(user=None, **kwargs).device


@pytest.fixture
def dc_grid(db):
    from apps.gbcp.models import Grid

    return Grid.objects.filter(region__code__startswith="110101001").select_related("squad").order_by("code").first()


@pytest.fixture
def officer_device(db, street_officer, dc_grid):
    from apps.devices.models import Device

    return register(name="队员甲 GPS", kind=Device.Kind.OFFICER_GPS, officer=street_officer, organization=dc_grid.squad, grid=dc_grid)


@pytest.fixture
def vehicle_device(db):
    from apps.devices.models import Device
    from apps.gbcp.models import Organization

    brigade = Organization.objects.filter(region__code="110101", kind=Organization.Kind.ENFORCEMENT_TEAM).first()
    return register(name="执法车 测试", kind=Device.Kind.VEHICLE_GPS, vehicle_plate="京A·T0001", organization=brigade)


@pytest.fixture
def haidian_vehicle(db):
    from apps.devices.models import Device
    from apps.gbcp.models import Organization

    brigade = Organization.objects.filter(region__code="110108", kind=Organization.Kind.ENFORCEMENT_TEAM).first()
    return register(name="海淀执法车 测试", kind=Device.Kind.VEHICLE_GPS, vehicle_plate="京A·T8001", organization=brigade)


def construction_site(district, name):
    """The demo's construction site in the district, or one made next to another place there (small demo cities lack one)."""
    from apps.gbcp.models import Place
    from apps.gbcp.services import place_create

    found = Place.objects.filter(kind=Place.Kind.CONSTRUCTION_SITE, region__code__startswith=district).order_by("-id").first()
    if found is not None:
        return found
    anchor = Place.objects.filter(region__code__startswith=district).order_by("id").first()
    return place_create(user=None, name=name, kind=Place.Kind.CONSTRUCTION_SITE, space=Place.Space.PRODUCTION, point=anchor.point, address="测试路1号")


@pytest.fixture
def site(db):
    return construction_site("110101", "东城测试工地")


@pytest.fixture
def noise_sensor(db, site):
    from apps.devices.models import Device

    return register(name="工地噪声 测试", kind=Device.Kind.NOISE_SENSOR, place=site)


@pytest.fixture
def haidian_sensor(db):
    from apps.devices.models import Device

    return register(name="海淀工地噪声 测试", kind=Device.Kind.NOISE_SENSOR, place=construction_site("110108", "海淀测试工地"))


def recent_local(hour, minute=0):
    """The most recent past moment at this local (Beijing) hour, at least two hours ago."""
    now = timezone.now().astimezone(BEIJING)
    candidate = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    while candidate > now - dt.timedelta(hours=2):
        candidate -= dt.timedelta(days=1)
    return candidate


@pytest.fixture
def device_api():
    """A client speaking as a device: no user, token in the Authorization header."""
    from rest_framework.test import APIClient

    def make(token=TOKEN):
        client = APIClient()
        if token:
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        return client

    return make
