"""The live-map WebSocket (/ws/map/): units, sensors and alarms of the user's jurisdiction, throttled per browser."""
import asyncio

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings

from apps.accounts.jurisdiction import EVERYTHING, jurisdiction_prefixes
from apps.devices import events, selectors
from apps.realtime import groups as realtime_groups
from apps.realtime.consumers import CLOSE_UNAUTHENTICATED

SNAPSHOT_LIMIT = 5000
FORWARDED_EVENTS = ("alarm.", "task.")


@database_sync_to_async
def _subscribe(user):
    """Group names and the first picture: units and active alarms the user may see."""
    prefixes = jurisdiction_prefixes(user)
    if prefixes is EVERYTHING:
        names = [events.MAP_EVERYTHING_GROUP, realtime_groups.EVERYTHING_GROUP]
    else:
        names = [events.map_group(p) for p in prefixes] + [realtime_groups.region_group(p) for p in prefixes]
    units = [events.sensor_payload(s.device, s) for s in selectors.unit_list_for_user(user=user)[:SNAPSHOT_LIMIT]]
    alarms = [events.alarm_payload(a) for a in selectors.alarm_list_for_user(user=user, state="active")[:SNAPSHOT_LIMIT]]
    return names, units, alarms


class LiveMapConsumer(AsyncJsonWebsocketConsumer):
    """Positions are coalesced per unit and sent at most once per DEVICE_MAP_THROTTLE_S, so a busy device cannot flood a browser."""

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.throttle = settings.DEVICE_MAP_THROTTLE_S
        self.pending_units, self.pending_alarms = {}, {}
        self.flush_task = None
        self.last_flush = 0.0
        self.group_names, units, alarms = await _subscribe(user)
        for name in self.group_names:
            await self.channel_layer.group_add(name, self.channel_name)
        await self.accept()
        await self.send_json({"type": "snapshot", "units": units, "alarms": alarms})

    async def disconnect(self, code):
        for name in getattr(self, "group_names", []):
            await self.channel_layer.group_discard(name, self.channel_name)
        if getattr(self, "flush_task", None) is not None:
            self.flush_task.cancel()

    async def receive_json(self, content, **kwargs):
        if isinstance(content, dict) and content.get("action") == "ping":
            await self.send_json({"type": "pong"})

    async def map_unit(self, message):
        unit = message["unit"]
        self.pending_units[unit["id"]] = unit
        self._schedule()

    async def map_units(self, message):
        # Servers coalesce positions: many units in one message.
        for unit in message["units"]:
            self.pending_units[unit["id"]] = unit
        self._schedule()

    async def map_alarm(self, message):
        alarm = message["alarm"]
        self.pending_alarms[alarm["id"]] = alarm
        self._schedule()

    async def notify(self, message):
        # Region groups carry every app's events; the map shows alarms and tasks, immediately (they are rare).
        event = message.get("event", "")
        if event.startswith(FORWARDED_EVENTS):
            await self.send_json({"type": "event", "event": event, "title": message.get("title", ""), "level": message.get("level"), "payload": message.get("payload", {})})

    def _schedule(self):
        if self.flush_task is not None:
            return
        loop = asyncio.get_running_loop()
        delay = max(0.0, self.last_flush + self.throttle - loop.time())
        self.flush_task = asyncio.ensure_future(self._flush_after(delay))

    async def _flush_after(self, delay):
        await asyncio.sleep(delay)
        units, alarms = list(self.pending_units.values()), list(self.pending_alarms.values())
        self.pending_units, self.pending_alarms = {}, {}
        self.last_flush = asyncio.get_running_loop().time()
        self.flush_task = None
        await self.send_json({"type": "update", "units": units, "alarms": alarms})
