"""App config of evaluation (综合评价 · 分析评价)."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "apps.evaluation"
    label = "evaluation"
    verbose_name = _("Evaluation")

    def ready(self):
        from apps.evaluation import receivers  # the models are loaded only now
        from apps.gbcp.signals import screen_panels  # noqa: I001 (beside the receivers it connects)

        screen_panels.connect(receivers.screen_rankings, dispatch_uid="evaluation.screen_rankings")
