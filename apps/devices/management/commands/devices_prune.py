"""Delete raw positions and noise readings older than DEVICE_RETENTION_DAYS (or --days)."""
from django.core.management.base import BaseCommand

from apps.devices import services


class Command(BaseCommand):
    help = "Prune raw device points older than the retention period; alarms and latest positions stay."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="keep this many days (default: DEVICE_RETENTION_DAYS)")

    def handle(self, *args, **options):
        result = services.readings_prune(user=None, older_than_days=options["days"])
        self.stdout.write(f"deleted {result['positions']} positions and {result['noise_readings']} noise readings before {result['cutoff']}")
