"""The abstract step log every workflow keeps: who did which step, when, and why where it turned back."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StepLog(models.Model):
    """One step on a subject. A concrete log adds the foreign key named by ``subject_field``."""

    subject_field = "subject"
    # action → its name for people (lazy translations); a concrete log fills it, an unknown action shows as recorded.
    ACTION_LABELS: dict = {}

    action = models.CharField(_("action"), max_length=32)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]

    @property
    def action_label(self) -> str:
        return str(self.ACTION_LABELS.get(self.action, self.action))

    @classmethod
    def record(cls, subject, action: str, user=None, reason: str = "", **data):
        """Write one entry; an anonymous or system actor is stored as nobody."""
        return cls.objects.create(**{cls.subject_field: subject}, action=action,
                                  actor=user if getattr(user, "pk", None) else None, reason=reason, data=data)
