"""Make the seeded demo accounts unusable (they have a public password); `migrate` does it too when demo mode is off."""
from django.conf import settings
from django.core.management.base import BaseCommand

from apps.accounts.demo import retire_demo_accounts


class Command(BaseCommand):
    help = "Give every demo account that still has the published demo password an unusable password and revoke its API tokens."
    requires_system_checks = []  # it is the remedy of accounts.E002, which must not stop it

    def add_arguments(self, parser):
        parser.add_argument("--even-in-demo-mode", action="store_true", help="also when CITYENFORCE_DEMO is on")

    def handle(self, *args, **options):
        if settings.DEMO_MODE and not options["even_in_demo_mode"]:
            self.stdout.write("Demo mode is on: the demo accounts stay (pass --even-in-demo-mode to retire them anyway).")
            return
        retired = retire_demo_accounts()
        self.stdout.write(("Retired: " + ", ".join(retired)) if retired else "No demo account has a public password.")
