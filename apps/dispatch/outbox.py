"""Delivery of partner replies: signed POST to the partner's webhook, backoff, give up after a limit."""
import datetime as dt
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.dispatch.models import OutboxMessage


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 over "timestamp.body", hex: the same scheme partners use towards us."""
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def deliver(message_id) -> str:
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
                         "X-CityEnforce-Signature": sign(partner.hotline_secret, timestamp, body)},
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


def deliver_due(now=None) -> int:
    now = now or timezone.now()
    due = OutboxMessage.objects.filter(state=OutboxMessage.State.PENDING, next_attempt_at__lte=now).values_list("pk", flat=True)[:500]
    count = 0
    for pk in list(due):
        deliver(pk)
        count += 1
    return count
