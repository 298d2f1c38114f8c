"""Task events reach the district's WebSocket after commit."""
import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import transaction

from cityenforce.asgi import application


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_new_task_reaches_the_district_dispatcher_after_commit():
    from django.core.management import call_command

    def setup():
        call_command("seed_demo", districts="110101", places=0, entities=0, quiet_progress=True, stdout=open("/dev/null", "w"))
        from apps.accounts.models import User

        return User.objects.get(username="dc_dispatcher")

    dispatcher = await sync_to_async(setup)()
    communicator = WebsocketCommunicator(application, "/ws/notifications/", headers=[(b"host", b"127.0.0.1"), (b"origin", b"http://127.0.0.1")])
    communicator.scope["user"] = dispatcher
    connected, _ = await communicator.connect()
    assert connected
    await communicator.receive_json_from()

    def intake():
        from apps.dispatch import services
        from apps.dispatch.models import Source
        from apps.gbcp.models import Organization, Region

        category = Organization.objects.get(name="东华门街道综合行政执法队").duties.order_by("code").first()
        point = Region.objects.get(code="110101001").boundary.point_on_surface
        with transaction.atomic():
            result = services.task_intake(user=None, source=Source.CITIZEN, description="路口占道经营", point=point, category=category)
            assert transaction.get_connection().run_on_commit
        return result.task.number

    number = await sync_to_async(intake)()
    message = await communicator.receive_json_from(timeout=3)
    assert message["event"] == "task.new" and message["payload"]["number"] == number
    await communicator.disconnect()
    from django.db import connections

    await sync_to_async(connections.close_all)()
