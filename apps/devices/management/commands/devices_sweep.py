"""Raise offline alarms for silent devices and retry task intake for alarms without a task (also run by Celery beat)."""
from django.core.management.base import BaseCommand

from apps.devices import services


class Command(BaseCommand):
    help = "Offline sweep and task-intake retry for device alarms."

    def handle(self, *args, **options):
        offline = services.devices_offline_sweep(user=None)
        retried = services.alarm_task_retry(user=None)
        self.stdout.write(f"offline alarms raised: {offline}; alarms given a task: {retried}")
