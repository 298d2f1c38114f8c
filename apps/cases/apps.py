"""App config of enforcement cases."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "apps.cases"
    label = "cases"
    verbose_name = _("Enforcement cases")

    def ready(self):
        from apps.cases import checks  # noqa: F401  (registers the payment system checks)
        from apps.cases import privacy  # declares personal data to apps.gbcp.privacy once the registry is ready

        privacy.register()
