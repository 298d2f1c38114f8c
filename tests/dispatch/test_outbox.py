"""Replies to the 12345 centre reach a real local webhook, signed, with backoff and a limit on retries."""
import datetime as dt
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.conf import settings
from django.utils import timezone

from apps.dispatch.api.partner_auth import signed_headers
from apps.dispatch.models import OutboxMessage, Partner, Task
from apps.dispatch.outbox import sign
from apps.dispatch.services import outbox_deliver_due

SECRET = "webhook-secret-0123456789"


class Webhook:
    """The partner's reply endpoint: records every request, answers with ``status``."""

    def __init__(self):
        self.received = []
        self.status = 200
        webhook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                webhook.received.append((self.headers, body))  # case-insensitive: urllib sends "X-cityenforce-…"
                self.send_response(webhook.status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):  # keep the test output clean
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/12345/replies"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def eager_celery(monkeypatch):
    """On the PostGIS + Redis run Celery is not eager by default; delivery must still happen in the test."""
    from cityenforce.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)
    monkeypatch.setitem(app.conf, "task_eager_propagates", True)
    # A proxy from the environment must not swallow requests to our local webhook.
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


@pytest.fixture
def webhook():
    with Webhook() as hook:
        yield hook


@pytest.fixture
def partner(db, webhook):
    return Partner.objects.create(name="回复测试热线", hotline_secret=SECRET, reply_url=webhook.url)


def push_ticket(api, partner, dhm_point, vendor_category, capture, number="GD20260316000777"):
    body = json.dumps({
        "ticket_number": number,
        "received_at": (timezone.now() - dt.timedelta(minutes=3)).isoformat(),
        "citizen_phone": "13812340000",
        "content": "东华门大街南侧便道有人私设地锁占用公共停车位，请处理",
        "address": "东城区东华门大街南侧",
        "lat": dhm_point.y, "lon": dhm_point.x,
        "category_hint": vendor_category.code,
    }, ensure_ascii=False).encode()
    url = "/api/dispatch/hotline/tickets/"
    signed = signed_headers(SECRET, partner=partner.name, method="POST", path=url, body=body)
    with capture(execute=True):
        response = api.post(url, data=body, content_type="application/json",
                             **{"HTTP_" + k.upper().replace("-", "_"): v for k, v in signed.items()})
    assert response.status_code == 201, response.content
    return Task.objects.get(number=response.json()["task_number"])


@pytest.mark.django_db
def test_the_acknowledgement_reaches_the_partner_signed(api, partner, webhook, eager_celery, dhm_point, vendor_category,
                                                        django_capture_on_commit_callbacks):
    task = push_ticket(api, partner, dhm_point, vendor_category, django_capture_on_commit_callbacks)

    assert len(webhook.received) == 1
    headers, body = webhook.received[0]
    timestamp, signature = headers["X-CityEnforce-Timestamp"], headers["X-CityEnforce-Signature"]
    assert signature == sign(SECRET, timestamp, body)
    assert abs(int(timestamp) - time.time()) < 60
    assert headers["Content-Type"] == "application/json"
    payload = json.loads(body)
    assert payload["kind"] == "ack" and payload["ticket_number"] == "GD20260316000777" and payload["task_number"] == task.number
    assert payload["organization"] == "东华门街道综合行政执法队" and payload["deadline"] is not None and payload["merged_into"] is None
    message = OutboxMessage.objects.get(task=task)
    assert (message.state, message.attempts, message.last_error) == (OutboxMessage.State.DELIVERED, 1, "")
    assert message.delivered_at is not None


@pytest.mark.django_db
def test_a_failing_endpoint_is_retried_with_backoff_until_it_answers(api, partner, webhook, eager_celery, dhm_point, vendor_category,
                                                                      django_capture_on_commit_callbacks):
    webhook.status = 500
    before = timezone.now()
    task = push_ticket(api, partner, dhm_point, vendor_category, django_capture_on_commit_callbacks)

    message = OutboxMessage.objects.get(task=task)
    assert (message.state, message.attempts) == (OutboxMessage.State.PENDING, 1)
    assert "500" in message.last_error
    backoff = dt.timedelta(seconds=settings.DISPATCH_OUTBOX_BACKOFF_SECONDS)
    assert before + backoff <= message.next_attempt_at <= timezone.now() + backoff

    assert outbox_deliver_due(now=timezone.now()) == 0, "not due before its time"
    assert len(webhook.received) == 1

    webhook.status = 200
    assert outbox_deliver_due(now=message.next_attempt_at + dt.timedelta(seconds=1)) == 1
    message.refresh_from_db()
    assert (message.state, message.attempts, message.next_attempt_at) == (OutboxMessage.State.DELIVERED, 2, None)
    assert len(webhook.received) == 2
    headers, body = webhook.received[1]
    assert headers["X-CityEnforce-Signature"] == sign(SECRET, headers["X-CityEnforce-Timestamp"], body)


@pytest.mark.django_db
def test_after_the_last_attempt_the_message_has_failed(api, partner, webhook, eager_celery, dhm_point, vendor_category,
                                                       django_capture_on_commit_callbacks):
    webhook.status = 500
    task = push_ticket(api, partner, dhm_point, vendor_category, django_capture_on_commit_callbacks)
    message = OutboxMessage.objects.get(task=task)
    limit = settings.DISPATCH_OUTBOX_MAX_ATTEMPTS
    waits = []
    while message.state == OutboxMessage.State.PENDING:
        assert message.attempts < limit
        waits.append(message.next_attempt_at)
        outbox_deliver_due(now=message.next_attempt_at + dt.timedelta(seconds=1))
        message.refresh_from_db()
    assert (message.state, message.attempts, message.next_attempt_at) == (OutboxMessage.State.FAILED, limit, None)
    assert len(webhook.received) == limit
    assert outbox_deliver_due(now=timezone.now() + dt.timedelta(days=30)) == 0, "a failed message is not retried"
    # The waits double: 30 s, 60 s, 120 s … after each attempt.
    gaps = [(later - earlier).total_seconds() for earlier, later in zip(waits, waits[1:])]
    assert all(b > a for a, b in zip(gaps, gaps[1:]))


@pytest.mark.django_db
def test_an_unreachable_endpoint_leaves_the_message_pending(api, partner, eager_celery, dhm_point, vendor_category,
                                                            django_capture_on_commit_callbacks):
    with socket.socket() as probe:  # a port that nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    Partner.objects.filter(pk=partner.pk).update(reply_url=f"http://127.0.0.1:{port}/")
    partner.refresh_from_db()
    task = push_ticket(api, partner, dhm_point, vendor_category, django_capture_on_commit_callbacks)
    message = OutboxMessage.objects.get(task=task)
    assert (message.state, message.attempts) == (OutboxMessage.State.PENDING, 1)
    assert message.last_error and message.next_attempt_at is not None
