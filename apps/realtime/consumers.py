"""WebSocket consumers: the personal notification stream of a signed-in user."""
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from apps.accounts.jurisdiction import EVERYTHING, jurisdiction_prefixes, staff_organization_ids
from apps.gbcp.errors import NotFound
from apps.realtime import groups, selectors, services

CLOSE_UNAUTHENTICATED = 4401


@database_sync_to_async
def _groups_for(user):
    names = [groups.user_group(user.pk)]
    # Organisation and region groups carry staff traffic: only staff memberships join them.
    names += [groups.organization_group(org_id) for org_id in staff_organization_ids(user)]
    prefixes = jurisdiction_prefixes(user)
    if prefixes is EVERYTHING:
        names.append(groups.EVERYTHING_GROUP)
    else:
        names += [groups.region_group(p) for p in prefixes]
    return names


@database_sync_to_async
def _mark_read(user, notification_id):
    notification = selectors.notification_get_for_user(user=user, id=notification_id)
    services.notification_mark_read(user=user, notification=notification)
    return selectors.notification_unread_count(user=user)


class NotificationConsumer(AsyncJsonWebsocketConsumer):
    """/ws/notifications/: events for the user, their organisations and their jurisdiction."""

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.user = user
        self.group_names = await _groups_for(user)
        for name in self.group_names:
            await self.channel_layer.group_add(name, self.channel_name)
        await self.accept()
        await self.send_json({"type": "hello", "groups": self.group_names})

    async def disconnect(self, code):
        for name in getattr(self, "group_names", []):
            await self.channel_layer.group_discard(name, self.channel_name)

    async def receive_json(self, content, **kwargs):
        action = content.get("action") if isinstance(content, dict) else None
        if action == "ping":
            await self.send_json({"type": "pong"})
        elif action == "mark_read":
            try:
                unread = await _mark_read(self.user, int(content.get("id")))
            except (NotFound, TypeError, ValueError):
                await self.send_json({"type": "error", "code": "not_found"})
            else:
                await self.send_json({"type": "read", "id": int(content["id"]), "unread": unread})
        else:
            await self.send_json({"type": "error", "code": "unknown_action"})

    async def notify(self, message):
        await self.send_json({key: value for key, value in message.items() if key != "type"} | {"type": "event"})
