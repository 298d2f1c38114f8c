"""App config of the dispatch task centre (指挥调度)."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DispatchConfig(AppConfig):
    name = "apps.dispatch"
    label = "dispatch"
    verbose_name = _("Dispatch task centre")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from apps.dispatch import classifier  # models load only once the app registry is ready (AppConfig.ready)
        from apps.gbcp.models import Category  # the same: not importable before ready()

        post_save.connect(classifier.forget_keywords, sender=Category, dispatch_uid="dispatch-forget-keywords-save")
        post_delete.connect(classifier.forget_keywords, sender=Category, dispatch_uid="dispatch-forget-keywords-delete")

        from apps.dispatch import privacy  # imports models: not before the app registry is ready (AppConfig.ready)

        privacy.register()
