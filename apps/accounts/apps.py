"""App config of users, roles and jurisdiction."""
from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _retire_demo_accounts(sender, using="default", **kwargs):
    # Every deployment runs migrate: outside demo mode that is where the demo accounts stop working.
    if settings.DEMO_MODE:
        return
    from apps.accounts.demo import retire_demo_accounts  # the demo imports models: not before the app registry is ready

    retired = retire_demo_accounts()
    if retired and kwargs.get("verbosity", 1):
        print("Demo accounts made unusable (demo mode is off): " + ", ".join(retired))


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from apps.accounts import checks  # noqa: F401  (registers the rate-limit, demo-account and proxy checks)
        from apps.accounts import privacy  # models load only once the app registry is ready (AppConfig.ready)

        privacy.register()

        post_migrate.connect(_retire_demo_accounts, sender=self, dispatch_uid="accounts-retire-demo-accounts")
