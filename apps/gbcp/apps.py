"""App config of the shared GBCP model."""
from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class GbcpConfig(AppConfig):
    name = "apps.gbcp"
    label = "gbcp"
    verbose_name = _("GBCP shared model")

    def ready(self):
        from apps.gbcp.images import configure_pillow  # once, at start-up, when settings are read

        configure_pillow()

        from apps.gbcp.privacy.ground import register_ground  # declares models: not before the app registry is ready
        from apps.gbcp.privacy.registry import system_check as privacy_check  # the same

        register_ground()
        checks.register(privacy_check, "privacy")
