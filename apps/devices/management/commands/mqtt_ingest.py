"""Subscribe to the device topics on the MQTT broker (MQTT_URL) and ingest what arrives."""
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.devices.mqtt import Ingestor


class Command(BaseCommand):
    help = "Take device positions and noise readings from MQTT (topics <prefix>/<code>/positions and /noise)."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="", help="mqtt://user:pass@host:1883 (default: MQTT_URL)")
        parser.add_argument("--prefix", default="", help="topic prefix (default: MQTT_TOPIC_PREFIX)")
        parser.add_argument("--max-messages", type=int, default=0, help="stop after this many messages (0: run for ever)")

    def handle(self, *args, **options):
        url = options["url"] or settings.MQTT_URL
        if not url:
            raise CommandError("No MQTT broker is configured: set MQTT_URL (e.g. mqtt://127.0.0.1:1883).")
        ingestor = Ingestor(url=url, prefix=options["prefix"] or None)
        try:
            ingestor.connect()
        except OSError as exc:
            raise CommandError(f"Cannot reach the MQTT broker at {url}: {exc}")
        self.stdout.write(f"Listening on {url} for {ingestor.prefix}/+/positions and /noise")
        limit = options["max_messages"]
        # paho reconnects by itself inside loop(); a stop after N messages serves tests and one-off drains.
        while not limit or ingestor.handled < limit:
            ingestor.client.loop(timeout=1.0)
        ingestor.client.disconnect()
