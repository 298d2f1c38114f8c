"""The idempotency key of an officer's step (the offline field client's retries); a model of dispatch, kept apart from
``models.py`` for size and re-exported there."""
from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _


class OfficerActionKey(models.Model):
    """An idempotency key (幂等键) of an officer's step on a task (accept, arrive, feedback), sent by a phone that may retry.

    Scoped to the user who sent it; a retry with the key gets the first answer, never a second step.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+")
    key = models.CharField(_("key"), max_length=255)
    action = models.CharField(_("action"), max_length=32)
    fingerprint = models.CharField(_("request fingerprint"), max_length=64)
    task = models.ForeignKey("dispatch.Task", verbose_name=_("task"), on_delete=models.CASCADE, related_name="+")
    response_status = models.PositiveSmallIntegerField(_("response status"), default=0)
    response_body = models.JSONField(_("response body"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)

    class Meta:
        verbose_name = _("officer action idempotency key")
        verbose_name_plural = _("officer action idempotency keys")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="officer_action_key_unique_per_user")]

    def __str__(self):
        return f"{self.user_id} {self.key}"
