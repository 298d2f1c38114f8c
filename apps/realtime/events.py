"""The event helper: persist notifications and push events only after the transaction commits.

A send that fails (Redis away) is logged with the event's name and never reaches the caller: the
write has committed, and the stored notification shows the event when the user next looks. Every
send goes through the one sender of the process (``apps.realtime.sender``).
"""
from simple_history.utils import bulk_create_with_history

from apps.realtime import groups, sender
from apps.realtime.models import Notification


def publish(*, event: str, payload: dict, users=(), organization_ids=(), region_code: str | None = None,
            title: str = "", body: str = "", level: str = Notification.Level.INFO, link: str = "", persist: bool = True,
            wait: bool = True):
    """Send ``event`` to the users, organisations and jurisdiction given, after commit.

    Named users also get a stored notification (written inside the caller's
    transaction, so a rolled-back change leaves no message behind). With ``wait`` the commit hook
    returns once the channel layer has the messages (a failure is logged under ``realtime:<event>``);
    without, it only hands them to the sender (a high-rate caller such as a device alarm).
    """
    recipients = {u.pk: u for u in users}
    notifications = []
    if persist and recipients:
        notifications = bulk_create_with_history(
            [
                Notification(recipient_id=pk, event=event, level=level, title=title or event, body=body, link=link, payload=payload)
                for pk in recipients
            ],
            Notification,
        )
    by_user = {n.recipient_id: n.pk for n in notifications}
    message_base = {"type": "notify", "event": event, "title": title or event, "body": body, "level": level, "link": link, "payload": payload}
    messages = [(groups.user_group(pk), {**message_base, "notification_id": by_user.get(pk)}) for pk in recipients]
    messages += [(groups.organization_group(o), message_base) for o in organization_ids]
    if region_code:
        messages += [(name, message_base) for name in groups.region_groups_for_code(region_code) + [groups.EVERYTHING_GROUP]]
    sender.send_after_commit(messages, event=f"realtime:{event}", wait=wait)
    return notifications
