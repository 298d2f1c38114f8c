"""App config of coordination (协调联动)."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoordinationConfig(AppConfig):
    name = "apps.coordination"
    label = "coordination"
    verbose_name = _("Coordination")
