"""The live-map WebSocket: only the jurisdiction's units and alarms, throttled, after commit."""
import datetime as dt

import pytest
import pytest_asyncio
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.utils import timezone

from cityenforce.asgi import application


@pytest_asyncio.fixture(autouse=True)
async def close_thread_connections():
    """sync_to_async runs in a worker thread whose database connection would outlive the test."""
    yield
    from django.db import connections

    await sync_to_async(connections.close_all)()


def make_world(username, district_code, name):
    """Transactional tests start from an empty database: a district, its brigade, a dispatcher and a vehicle."""
    from apps.accounts import services as account_services
    from apps.accounts.models import Role
    from apps.devices import services
    from apps.devices.models import Device
    from apps.gbcp import services as gbcp_services
    from apps.gbcp.models import Organization, Region

    city = gbcp_services.region_upsert(user=None, code="110100", name="北京市", level=Region.Level.CITY)
    district = gbcp_services.region_upsert(user=None, code=district_code, name=name, level=Region.Level.DISTRICT, parent=city)
    org = gbcp_services.organization_upsert(
        user=None, name=f"{name}城管执法局", kind=Organization.Kind.ENFORCEMENT_TEAM, level=Organization.Level.DISTRICT, region=district
    )
    user = account_services.user_ensure(user=None, username=username, password="pw-123456789")
    account_services.membership_grant(user=None, member=user, organization=org, role=Role.DISPATCHER)
    device = services.device_register(user=None, name=f"{name}执法车", kind=Device.Kind.VEHICLE_GPS, organization=org, token="t" * 40).device
    return user, device


def move(device, n=1, start=None):
    from apps.devices import services

    start = start or timezone.now() - dt.timedelta(minutes=10)
    for i in range(n):
        # One request per point, as the OsmAnd clients send them.
        services.positions_ingest(device=device, points=[(start + dt.timedelta(seconds=i), 39.91 + i * 1e-4, 116.40, 30.0, 0.0, None, None, 90.0)])


async def connect(user=None):
    from django.contrib.auth.models import AnonymousUser

    communicator = WebsocketCommunicator(application, "/ws/map/", headers=[(b"host", b"127.0.0.1"), (b"origin", b"http://127.0.0.1")])
    communicator.scope["user"] = user if user is not None else AnonymousUser()
    connected, _ = await communicator.connect()
    return communicator, connected


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_an_anonymous_map_socket_is_refused():
    communicator, connected = await connect()
    assert not connected


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_the_map_receives_only_its_jurisdictions_units(settings):
    settings.DEVICE_MAP_THROTTLE_S = 0.05
    dc_user, dc_car = await sync_to_async(make_world)("map_dc", "110101", "东城区")
    hd_user, hd_car = await sync_to_async(make_world)("map_hd", "110108", "海淀区")
    await sync_to_async(move)(hd_car)  # 海淀's car already has a position
    inside, connected = await connect(dc_user)
    assert connected
    snapshot = await inside.receive_json_from()
    assert snapshot["type"] == "snapshot" and snapshot["units"] == [] and snapshot["alarms"] == []
    outside, _ = await connect(hd_user)
    assert [u["code"] for u in (await outside.receive_json_from())["units"]] == [hd_car.code]

    await sync_to_async(move)(dc_car)
    update = await inside.receive_json_from(timeout=2)
    assert update["type"] == "update" and [u["code"] for u in update["units"]] == [dc_car.code]
    assert update["units"][0]["lat"] == pytest.approx(39.91)
    # 海淀 may still get its own car's move (servers coalesce positions for DEVICE_MAP_COALESCE_S), never 东城's.
    seen = []
    while not await outside.receive_nothing(timeout=0.5):
        seen += [u["code"] for u in (await outside.receive_json_from()).get("units", [])]
    assert dc_car.code not in seen and set(seen) <= {hd_car.code}
    await inside.disconnect()
    await outside.disconnect()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_busy_device_is_throttled_to_its_latest_position(settings):
    settings.DEVICE_MAP_THROTTLE_S = 0.5
    user, car = await sync_to_async(make_world)("map_busy", "110102", "西城区")
    communicator, _ = await connect(user)
    await communicator.receive_json_from()
    await sync_to_async(move)(car, n=30)
    messages = [await communicator.receive_json_from(timeout=2)]
    while not await communicator.receive_nothing(timeout=1.0):
        messages.append(await communicator.receive_json_from())
    # Thirty positions in well under a second: at most a first message and one coalesced update.
    assert 1 <= len(messages) <= 3
    assert messages[-1]["units"][-1]["lat"] == pytest.approx(39.91 + 29e-4)
    await communicator.disconnect()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_raised_alarm_reaches_the_map_of_its_district(settings):
    from apps.devices import services

    settings.DEVICE_MAP_THROTTLE_S = 0.05
    user, car = await sync_to_async(make_world)("map_alarm", "110101", "东城区")

    def low_battery():
        services.positions_ingest(device=car, points=[(timezone.now() - dt.timedelta(minutes=1), 39.91, 116.40, 0.0, None, None, None, 5.0)])

    communicator, _ = await connect(user)
    await communicator.receive_json_from()
    await sync_to_async(low_battery)()
    received = [await communicator.receive_json_from(timeout=2), await communicator.receive_json_from(timeout=2)]
    events = [m for m in received if m["type"] == "event"]
    assert events and events[0]["event"] == "alarm.raised" and events[0]["payload"]["kind"] == "low_battery"
    assert events[0]["payload"]["device"]["code"] == car.code
    await communicator.disconnect()
