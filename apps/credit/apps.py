"""App config of credit (信用 + 风险)."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreditConfig(AppConfig):
    name = "apps.credit"
    label = "credit"
    verbose_name = _("Credit and risk")
