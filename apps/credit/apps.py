"""App config of credit (信用 + 风险)."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreditConfig(AppConfig):
    name = "apps.credit"
    label = "credit"
    verbose_name = _("Credit and risk")

    def ready(self):
        from apps.credit import receivers  # the models are loaded only now
        from apps.gbcp.signals import frontage_assessed  # noqa: I001 (beside the receivers it connects)

        frontage_assessed.connect(receivers.on_frontage_assessed, dispatch_uid="credit.frontage_assessed")
