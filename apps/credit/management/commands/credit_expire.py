"""Expire credit records whose time has come and recompute the grades (what the daily beat task does)."""
import datetime as dt

from django.core.management.base import BaseCommand

from apps.credit import services
from apps.gbcp.models import Place


class Command(BaseCommand):
    help = "Expire credit records due on or before --today (default: today), recompute every grade and every place's risk."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None)

    def handle(self, *args, **options):
        expired = services.expire_records(today=options["today"])
        self.stdout.write(f"expired: {expired}")
        recomputed = services.recompute_all()
        self.stdout.write(f"grades recomputed: {recomputed}")
        places = Place.objects.filter(is_active=True).select_related("region").order_by("pk")
        rated = services.recompute_risks(places=places.iterator(chunk_size=500), today=options["today"])
        self.stdout.write(self.style.SUCCESS(f"place risks recomputed: {rated}"))
