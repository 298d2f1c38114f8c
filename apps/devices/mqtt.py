"""MQTT ingestion: device topics carry the same JSON payloads as the HTTP API and go through the same services.

Topics: ``<prefix>/<device code>/positions`` ({"token", "points": [...]}),
``<prefix>/<device code>/noise`` ({"token", "readings": [...]}); each message
is answered on ``<prefix>/<device code>/ack`` with the counts or the error.
"""
import json
import logging
import time
from urllib.parse import urlparse

from django.conf import settings
from django.db import close_old_connections, connection

from apps.devices import payloads, services
from apps.gbcp.errors import ApplicationError

logger = logging.getLogger(__name__)
KINDS = {"positions": ("points", payloads.parse_position, services.positions_ingest, "points"),
         "noise": ("readings", payloads.parse_noise, services.noise_ingest, "readings")}


def handle_message(topic: str, raw: bytes, prefix: str | None = None) -> dict:
    """One message in, the answer out (never raises: a bad message must not stop the subscriber)."""
    prefix = (prefix or settings.MQTT_TOPIC_PREFIX).rstrip("/")
    parts = topic[len(prefix) + 1:].split("/") if topic.startswith(prefix + "/") else []
    if len(parts) != 2 or parts[1] not in KINDS:
        return {"error": {"code": "unknown_topic", "message": "unknown topic"}}
    code, kind = parts[0].upper(), parts[1]
    field, parse_one, ingest, kwarg = KINDS[kind]
    try:
        body = json.loads(raw)
        if not isinstance(body, dict):
            raise ValueError
    except ValueError:
        return {"error": {"code": "invalid_payload", "message": "the payload is not a JSON object"}}
    try:
        device = services.device_authenticate(code=code, token=body.get("token"))
        items = payloads.parse_batch(body.get(field), parse_one)
        result = ingest(device=device, **{kwarg: items})
    except payloads.PayloadError as exc:
        return {"error": {"code": "invalid_payload", "message": str(exc.message), "details": exc.details()}}
    except ApplicationError as exc:
        return {"error": {"code": exc.code, "message": str(exc.message)}}
    return {"device": code, "received": result.received, "stored": result.stored}


class Ingestor:
    """A paho client subscribed to every device topic; the caller drives its loop."""

    def __init__(self, url=None, prefix=None, client_id=None):
        import paho.mqtt.client as mqtt

        self.url = urlparse(url or settings.MQTT_URL)
        self.prefix = (prefix or settings.MQTT_TOPIC_PREFIX).rstrip("/")
        self.handled = 0
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id or f"cityenforce-ingest-{int(time.time())}")
        if self.url.username:
            self.client.username_pw_set(self.url.username, self.url.password)
        if self.url.scheme in {"mqtts", "ssl"}:
            self.client.tls_set()
        self.client.on_connect = self._on_connect
        self.client.on_message = self._on_message

    def connect(self):
        self.client.connect(self.url.hostname or "127.0.0.1", self.url.port or 1883, keepalive=30)

    def _on_connect(self, client, userdata, flags, reason_code, properties=None):
        # QoS 1: the broker redelivers until we acknowledge, and idempotent storage makes redelivery harmless.
        client.subscribe([(f"{self.prefix}/+/positions", 1), (f"{self.prefix}/+/noise", 1)])

    def _on_message(self, client, userdata, message):
        # A long-running subscriber must drop dead connections, as a request would (never inside a caller's transaction).
        if not connection.in_atomic_block:
            close_old_connections()
        answer = handle_message(message.topic, message.payload, self.prefix)
        self.handled += 1
        if "error" in answer:
            logger.warning("MQTT %s refused: %s", message.topic, answer["error"])
        code = message.topic[len(self.prefix) + 1:].split("/")[0]
        client.publish(f"{self.prefix}/{code}/ack", json.dumps(answer, ensure_ascii=False), qos=0)
