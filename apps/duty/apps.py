"""App config of duty (勤务)."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DutyConfig(AppConfig):
    name = "apps.duty"
    label = "duty"
    verbose_name = _("Duty")
