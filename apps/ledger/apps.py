"""App config of ledger."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "apps.ledger"
    label = "ledger"
    verbose_name = _("Ledger")

    def ready(self):
        from apps.ledger import privacy  # declares personal data to apps.gbcp.privacy once the registry is ready

        privacy.register()
