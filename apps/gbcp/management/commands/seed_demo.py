"""Load the demo city; idempotent, and re-applies the demo secrets from the environment on every run."""
import time
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from apps.gbcp.demo.seed import DemoContext


class Command(BaseCommand):
    help = "Seed the demo city (real Beijing districts and streets, generated geometry, demo users). Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--places", type=int, default=2000)
        parser.add_argument("--entities", type=int, default=500)
        parser.add_argument("--districts", default="", help="comma-separated district codes (default: all 16)")
        parser.add_argument("--quiet-progress", action="store_true")

    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            raise CommandError("seed_demo creates accounts with a known password; it refuses to run when CITYENFORCE_DEMO is off.")
        ctx = DemoContext(
            stdout=self.stdout, style=self.style, places=options["places"], entities=options["entities"],
            district_codes={c.strip() for c in options["districts"].split(",") if c.strip()} or None,
            progress=not options["quiet_progress"],
        )
        started = time.monotonic()
        # Each app that has a demo module seeds its part, in INSTALLED_APPS order (ground floor first).
        for config in apps.get_app_configs():
            if not config.name.startswith("apps."):
                continue
            try:
                module = import_module(f"{config.name}.demo.seed" if config.name == "apps.gbcp" else f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name in {f"{config.name}.demo", f"{config.name}.demo.seed"}:
                    continue
                raise
            with transaction.atomic():
                module.seed(ctx)
        self.stdout.write(self.style.SUCCESS(f"Demo city ready in {time.monotonic() - started:.0f}s."))
        if ctx.credentials:
            self.stdout.write("\nDemo accounts (password: %s)" % settings.DEMO_PASSWORD)
            width = max(len(u) for u, _r, _o in ctx.credentials)
            for username, role, org in ctx.credentials:
                self.stdout.write(f"  {username.ljust(width)}  {role:<16} {org}")
        for name, value in ctx.secrets:
            self.stdout.write(f"  {name}={value}")
