"""App config of the shared workflow kit (abstract models only: it owns no table)."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "apps.workflow"
    label = "workflow"
    verbose_name = _("Workflow kit")
