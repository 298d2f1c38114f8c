"""App config of the citizen portal (社会共治): public reports and their progress."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "apps.portal"
    label = "portal"
    verbose_name = _("Citizen portal")

    def ready(self):
        from apps.portal import privacy  # declares personal data to apps.gbcp.privacy once the registry is ready

        privacy.register()
