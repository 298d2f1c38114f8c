"""Send the case leads' deadline reminders and warnings now (the beat runs the same sweep every quarter of an hour)."""
from django.core.management.base import BaseCommand

from apps.gbcp.audit import acting_as
from apps.coordination import services


class Command(BaseCommand):
    help = "Case leads (线索移送): remind before the receipt or result is due and warn once it is overdue (each once per lead)."

    def handle(self, *args, **options):
        with acting_as(None):
            counts = services.leads_sweep()
        self.stdout.write(self.style.SUCCESS(
            "Case leads: {receipt_reminder} receipt reminder(s), {receipt_overdue} receipt warning(s), "
            "{feedback_reminder} result reminder(s), {feedback_overdue} result warning(s) sent.".format(**counts)))
