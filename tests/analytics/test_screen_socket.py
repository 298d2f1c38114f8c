"""The big screen's live path: a new task in the district reaches the socket the screen subscribes to (/ws/map/)
within a second; another district's screen never sees it."""
import pytest
import pytest_asyncio
from asgiref.sync import sync_to_async

from tests.devices.test_consumer import connect, make_world


@pytest_asyncio.fixture(autouse=True)
async def close_thread_connections():
    yield
    from django.db import connections

    await sync_to_async(connections.close_all)()


def publish_new_task(region_code):
    from django.db import transaction

    from apps.realtime.events import publish

    with transaction.atomic():
        publish(event="task.new", payload={"id": 991, "number": "T-991", "status": "new", "lat": 39.91, "lon": 116.40},
                region_code=region_code, persist=False)


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_new_task_reaches_the_screen_of_its_district_only():
    dc_user, _car = await sync_to_async(make_world)("screen_dc", "110101", "东城区")
    hd_user, _car2 = await sync_to_async(make_world)("screen_hd", "110108", "海淀区")
    inside, connected = await connect(dc_user)
    assert connected
    await inside.receive_json_from()  # the snapshot
    outside, _ = await connect(hd_user)
    await outside.receive_json_from()
    await sync_to_async(publish_new_task)("110101")
    event = await inside.receive_json_from(timeout=1)
    assert event["type"] == "event" and event["event"] == "task.new" and event["payload"]["number"] == "T-991"
    assert await outside.receive_nothing(timeout=0.5)
    await inside.disconnect()
    await outside.disconnect()
