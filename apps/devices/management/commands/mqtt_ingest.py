"""Subscribe to the device topics on the MQTT broker (MQTT_URL) and ingest what arrives, losing nothing across restarts."""
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.devices.mqtt import Ingestor

RECONNECT_DELAY_S = 2.0


class Command(BaseCommand):
    help = ("Take device positions and noise readings from MQTT (topics <prefix>/<code>/positions and /noise), "
            "in a persistent session: readings sent while this command is down arrive when it starts again.")

    def add_arguments(self, parser):
        parser.add_argument("--url", default="", help="mqtt://user:pass@host:1883 (default: MQTT_URL)")
        parser.add_argument("--prefix", default="", help="topic prefix (default: MQTT_TOPIC_PREFIX)")
        parser.add_argument("--client-id", default="", help="the session's stable client id (default: MQTT_CLIENT_ID)")
        parser.add_argument("--max-messages", type=int, default=0, help="stop after this many messages (0: run for ever)")

    def handle(self, *args, **options):
        url = options["url"] or settings.MQTT_URL
        if not url:
            raise CommandError("No MQTT broker is configured: set MQTT_URL (e.g. mqtt://127.0.0.1:1883).")
        ingestor = Ingestor(url=url, prefix=options["prefix"] or None, client_id=options["client_id"] or None)
        try:
            ingestor.connect()
        except OSError as exc:
            raise CommandError(f"Cannot reach the MQTT broker at {url}: {exc}")
        self.stdout.write(f"Listening on {url} as {ingestor.client_id} for {ingestor.prefix}/+/positions and /noise")
        limit = options["max_messages"]
        try:
            while not limit or ingestor.handled < limit:
                ingestor.client.loop(timeout=1.0)
                if ingestor.dropped:
                    # Dropped by the network, or left on purpose after a reading could not be stored:
                    # back in the same session, where the broker redelivers what is unacknowledged.
                    time.sleep(RECONNECT_DELAY_S)
                    try:
                        ingestor.reconnect()
                    except OSError as exc:
                        self.stderr.write(f"MQTT broker unreachable ({exc}); retrying")
        except KeyboardInterrupt:
            pass
        finally:
            ingestor.disconnect()
            ingestor.client.loop(timeout=0.5)  # let the DISCONNECT go out
