"""Partners (the 12345 centre, Open311 clients) and the replies we owe them: queued per task, delivered signed, retried."""
import datetime as dt
import json
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.dispatch import outbox
from apps.dispatch.models import OutboxMessage, Partner, Source, Task, TaskRating
from apps.gbcp import aftercommit
from apps.gbcp.audit import acting_as


def outbox_enqueue(*, task: Task, kind: str) -> OutboxMessage | None:
    """Queue one reply of each kind per task; delivered after commit by Celery."""
    partner = task.partner
    if partner is None:
        return None
    # The report's own ticket: stored, or (during intake, before it is stored) its external reference.
    ticket = task.hotline_tickets.first()
    if ticket is not None:
        number = ticket.ticket_number
    elif task.source == Source.HOTLINE and task.external_ref:
        number = task.external_ref
    else:
        master_ticket = task.master.hotline_tickets.first() if task.master_id else None
        number = master_ticket.ticket_number if master_ticket else task.external_ref
    payload = {
        "ticket_number": number,
        "task_number": task.number,
        "kind": kind,
        "status": task.status,
    }
    if kind == OutboxMessage.Kind.ACK:
        payload.update(accepted_at=timezone.now().isoformat(), merged_into=task.master.number if task.master_id else None,
                       organization=task.organization.name if task.organization_id else None,
                       deadline=task.deadline.isoformat() if task.deadline else None)
    elif kind == OutboxMessage.Kind.RESULT:
        payload.update(result=task.result, solved=task.solved, handled_at=task.handled_at.isoformat() if task.handled_at else None)
    elif kind == OutboxMessage.Kind.CALLBACK:
        # satisfied: None while the reporter has not rated (an unrated task is never reported as satisfied).
        rating = TaskRating.objects.filter(task_id=task.pk).values_list("level", flat=True).first()
        payload.update(contacted=rating is not None, solved=task.solved, satisfied=task.satisfied, rating=rating,
                       closed_at=task.closed_at.isoformat() if task.closed_at else None)
    # Due for the flush sweep a little later: if the broker is away when the job is enqueued, the sweep delivers it.
    fallback_at = timezone.now() + dt.timedelta(seconds=settings.DISPATCH_OUTBOX_BACKOFF_SECONDS)
    message, created = OutboxMessage.objects.get_or_create(
        task=task, kind=kind, defaults={"partner": partner, "payload": payload, "next_attempt_at": fallback_at}
    )
    if created:
        aftercommit.enqueue("apps.dispatch.tasks.deliver_outbox_message", message.pk, event=f"dispatch:outbox-{kind}")
    return message


def outbox_deliver(*, message_id) -> str:
    """POST one pending reply to the partner's webhook, signed; back off on failure, give up after the limit."""
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().select_related("partner").filter(pk=message_id).first()
        if message is None or message.state != OutboxMessage.State.PENDING:
            return "skipped"
        partner = message.partner
        message.attempts += 1
        body = json.dumps(message.payload, ensure_ascii=False, sort_keys=True).encode()
        error = ""
        if not partner.reply_url:
            error = "partner has no reply URL"
        else:
            timestamp = str(int(time.time()))
            request = urllib.request.Request(
                partner.reply_url, data=body, method="POST",
                headers={"Content-Type": "application/json", "X-CityEnforce-Timestamp": timestamp,
                         "X-CityEnforce-Signature": outbox.sign(partner.hotline_secret, timestamp, body)},
            )
            try:
                with urllib.request.urlopen(request, timeout=settings.DISPATCH_OUTBOX_TIMEOUT) as response:
                    if not 200 <= response.status < 300:
                        error = f"HTTP {response.status}"
            except (urllib.error.URLError, OSError, ValueError) as exc:
                error = str(exc)[:500]
        if not error:
            message.state, message.delivered_at, message.last_error, message.next_attempt_at = OutboxMessage.State.DELIVERED, timezone.now(), "", None
        elif message.attempts >= settings.DISPATCH_OUTBOX_MAX_ATTEMPTS:
            message.state, message.last_error, message.next_attempt_at = OutboxMessage.State.FAILED, error, None
        else:
            backoff = settings.DISPATCH_OUTBOX_BACKOFF_SECONDS * 2 ** (message.attempts - 1)
            message.last_error, message.next_attempt_at = error, timezone.now() + dt.timedelta(seconds=backoff)
        message.save()
        return message.state


def outbox_deliver_due(*, now=None) -> int:
    """Retry the replies whose next attempt is due."""
    now = now or timezone.now()
    due = OutboxMessage.objects.filter(state=OutboxMessage.State.PENDING, next_attempt_at__lte=now).values_list("pk", flat=True)[:500]
    count = 0
    for pk in list(due):
        outbox_deliver(message_id=pk)
        count += 1
    return count


@transaction.atomic
def partner_ensure(*, user, name, organization=None, hotline_secret=None, open311_key=None, reply_url="") -> Partner:
    """Create or update a partner; given secrets are (re)applied (the demo does this on every run)."""
    with acting_as(user):
        partner, _created = Partner.objects.get_or_create(name=name, defaults={"organization": organization, "reply_url": reply_url})
        if hotline_secret is not None:
            partner.hotline_secret = hotline_secret
        if open311_key is not None:
            partner.open311_key_hash = Partner.hash_key(open311_key)
        partner.organization = organization or partner.organization
        partner.save()
    return partner


def partner_rotate_hotline_secret(*, user, partner: Partner) -> str:
    secret = Partner.new_secret()
    partner_ensure(user=user, name=partner.name, hotline_secret=secret)
    return secret


def partner_rotate_open311_key(*, user, partner: Partner) -> str:
    key = Partner.new_secret()
    partner_ensure(user=user, name=partner.name, open311_key=key)
    return key
