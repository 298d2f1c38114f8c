"""Reads of a user's own notifications."""
from apps.gbcp.errors import NotFound
from apps.realtime.models import Notification


def notification_list_for_user(*, user, unread_only=False):
    qs = Notification.objects.filter(recipient=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs


def notification_get_for_user(*, user, id) -> Notification:
    notification = Notification.objects.filter(recipient=user, pk=id).first()
    if notification is None:
        raise NotFound()
    return notification


def notification_unread_count(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
