"""Send the due deadline warnings of enforcement cases now (Celery beat does this every hour)."""
from django.core.management.base import BaseCommand

from apps.cases import services


class Command(BaseCommand):
    help = "Warn owners and squad leaders at the set points before case deadlines (once per point)."

    def handle(self, *args, **options):
        self.stdout.write(f"warnings sent: {services.case_deadlines_sweep()}")
