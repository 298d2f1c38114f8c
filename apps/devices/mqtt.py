"""MQTT ingestion: device topics carry the same JSON payloads as the HTTP API and go through the same services.

Topics: ``<prefix>/<device code>/positions`` ({"token", "points": [...]}),
``<prefix>/<device code>/noise`` ({"token", "readings": [...]}); each message
is answered on ``<prefix>/<device code>/ack`` with the counts or the error.
"""
import json
import logging
from urllib.parse import urlparse

from django.conf import settings
from django.db import close_old_connections, connection

from apps.devices import payloads, services
from apps.gbcp.api.parsers import loads as json_loads
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
        body = json_loads(raw)  # bounded nesting: a deep payload is refused, not a RecursionError
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
    """A paho client subscribed to every device topic; the caller drives its loop.

    Nothing published while the ingester is down or starting is lost: the client keeps a
    persistent session under a stable client id (MQTT 5, clean_start=False, a session expiry),
    subscribes with QoS 1, and acknowledges a message only after its readings are committed
    (``manual_ack``). The broker keeps what is not acknowledged and sends it again on the next
    connection; storage is idempotent, so a reading sent twice is stored once.
    """

    def __init__(self, url=None, prefix=None, client_id=None, session_expiry_s=None):
        import paho.mqtt.client as mqtt

        self.url = urlparse(url or settings.MQTT_URL)
        self.prefix = (prefix or settings.MQTT_TOPIC_PREFIX).rstrip("/")
        self.client_id = client_id or settings.MQTT_CLIENT_ID
        self.session_expiry_s = settings.MQTT_SESSION_EXPIRY_S if session_expiry_s is None else session_expiry_s
        self.handled = 0
        self.failed = 0
        self.subscribed = False
        self.dropped = False  # the connection ended (network, broker, or our own leaving after a failed store)
        self.leaving = False  # a store failed: what still arrives on this connection is left for the redelivery
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=self.client_id, protocol=mqtt.MQTTv5, manual_ack=True)
        if self.url.username:
            self.client.username_pw_set(self.url.username, self.url.password)
        if self.url.scheme in {"mqtts", "ssl"}:
            self.client.tls_set()
        self.client.on_connect = self._on_connect
        self.client.on_subscribe = self._on_subscribe
        self.client.on_disconnect = self._on_disconnect
        self.client.on_message = self._on_message

    def connect(self):
        from paho.mqtt.packettypes import PacketTypes
        from paho.mqtt.properties import Properties

        properties = Properties(PacketTypes.CONNECT)
        properties.SessionExpiryInterval = self.session_expiry_s
        # clean_start=False on every connect, the first included: the session (subscriptions and
        # unacknowledged QoS 1 messages) survives restarts of this process.
        self.client.connect(self.url.hostname or "127.0.0.1", self.url.port or 1883, keepalive=30, clean_start=False, properties=properties)

    def disconnect(self):
        """Leave, keeping the session (the broker queues what arrives until we are back)."""
        self.client.disconnect()

    def _on_connect(self, client, userdata, flags, reason_code, properties=None):
        if reason_code.is_failure:
            logger.error("MQTT connection refused: %s", reason_code)
            return
        # QoS 1: the broker redelivers until we acknowledge, and idempotent storage makes redelivery harmless.
        # Subscribing again on a resumed session is harmless and covers a session the broker has expired.
        client.subscribe([(f"{self.prefix}/+/positions", 1), (f"{self.prefix}/+/noise", 1)])

    def _on_disconnect(self, client, userdata, flags, reason_code, properties=None):
        self.dropped, self.subscribed = True, False

    def reconnect(self):
        """Back into the same session after a drop (the broker redelivers what is unacknowledged)."""
        self.client.reconnect()
        self.dropped = self.leaving = False

    def _on_subscribe(self, client, userdata, mid, reason_codes, properties=None):
        self.subscribed = all(not code.is_failure for code in reason_codes)
        if not self.subscribed:
            logger.error("MQTT subscription refused: %s", reason_codes)

    def _on_message(self, client, userdata, message):
        if self.leaving:
            return  # neither stored nor acknowledged: the broker sends it again on the next connection, in order
        # A long-running subscriber must drop dead connections, as a request would (never inside a caller's transaction).
        if not connection.in_atomic_block:
            close_old_connections()
        try:
            answer = handle_message(message.topic, message.payload, self.prefix)
        except Exception:
            # Not stored (the database is away, say): no acknowledgement. MQTT redelivers only on a new
            # connection, so leave now; the caller's loop reconnects and the broker sends it again.
            self.failed += 1
            self.leaving = True
            logger.exception("MQTT %s not stored; it stays unacknowledged and comes again after reconnecting", message.topic)
            client.disconnect()
            return
        # Stored (committed) or refused for good (a bad payload never gets better): acknowledge.
        client.ack(message.mid, message.qos)
        self.handled += 1
        if "error" in answer:
            logger.warning("MQTT %s refused: %s", message.topic, answer["error"])
        code = message.topic[len(self.prefix) + 1:].split("/")[0]
        client.publish(f"{self.prefix}/{code}/ack", json.dumps(answer, ensure_ascii=False), qos=0)
