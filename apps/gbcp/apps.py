"""App config of the shared GBCP model."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GbcpConfig(AppConfig):
    name = "apps.gbcp"
    label = "gbcp"
    verbose_name = _("GBCP shared model")

    def ready(self):
        from apps.gbcp.images import configure_pillow  # once, at start-up, when settings are read

        configure_pillow()
