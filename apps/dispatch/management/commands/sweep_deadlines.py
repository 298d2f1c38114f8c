"""Mark tasks yellow (80% of the time used) or red (overdue) and notify; Celery beat runs the same."""
import json

from django.core.management.base import BaseCommand

from apps.dispatch.services import deadlines_sweep


class Command(BaseCommand):
    help = "Sweep open tasks for yellow and red deadline alerts."

    def handle(self, *args, **options):
        self.stdout.write(json.dumps(deadlines_sweep()))
