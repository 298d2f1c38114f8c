"""App config of supervision (督察督办)."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "apps.supervision"
    label = "supervision"
    verbose_name = _("Supervision")
