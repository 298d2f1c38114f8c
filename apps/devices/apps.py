"""App config of devices, ingestion, alarms and the live map."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DevicesConfig(AppConfig):
    name = "apps.devices"
    label = "devices"
    verbose_name = _("Devices and alarms")

    def ready(self):
        from apps.devices import privacy  # declares personal data to apps.gbcp.privacy once the registry is ready

        privacy.register()
