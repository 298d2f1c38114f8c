"""Load the case-cause catalogue (案由 and 裁量基准) from apps.cases.catalogue; safe to run again."""
from django.core.management.base import BaseCommand

from apps.cases import services
from apps.cases.catalogue import CAUSES


class Command(BaseCommand):
    help = "Load or update the case causes and discretion levels; causes whose citation the legal office confirmed are kept."

    def handle(self, *args, **options):
        self.stdout.write(f"Loading {len(CAUSES)} causes…")
        counts = services.catalogue_load(user=None)
        self.stdout.write(self.style.SUCCESS(", ".join(f"{k}: {v}" for k, v in counts.items())))
