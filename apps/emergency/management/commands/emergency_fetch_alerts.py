"""Fetch the configured CAP 1.2 warning feeds once (the beat runs the same through apps.emergency.tasks)."""
from django.core.management.base import BaseCommand

from apps.emergency import feed


class Command(BaseCommand):
    help = "Fetch CAP 1.2 warnings from EMERGENCY_CAP_FEED_URLS (or the URLs given) and match them to our regions."

    def add_arguments(self, parser):
        parser.add_argument("urls", nargs="*", help="feed URLs instead of the configured ones")

    def handle(self, *args, urls=None, **options):
        counts = feed.fetch_alerts(urls or None)
        self.stdout.write(f"created {counts['created']}, known {counts['known']}, failed {counts['failed']}")
