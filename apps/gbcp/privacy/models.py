"""The records that show compliance: who read whose personal data at full clearance, and what the retention job did.

Imported by ``apps/gbcp/models.py`` so that Django finds them in the gbcp app."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessLogEntry(models.Model):
    """One read of one subject's personal data unmasked (个人信息访问记录): who, whose, what, why, when, from where.

    Written in one batch per request (``apps.gbcp.privacy.access``), never per field."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reader"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    username = models.CharField(_("reader's user name"), max_length=150, blank=True)
    subject_type = models.CharField(_("kind of record"), max_length=64, db_index=True)
    subject_id = models.CharField(_("record id"), max_length=64, blank=True)
    subject_label = models.CharField(_("record"), max_length=128, blank=True)
    fields = models.JSONField(_("data read"), default=list)
    purpose = models.CharField(_("purpose (page or API)"), max_length=128, blank=True, db_index=True)
    path = models.CharField(_("address"), max_length=255, blank=True)
    client_ip = models.GenericIPAddressField(_("from address"), null=True, blank=True)
    at = models.DateTimeField(_("read at"), db_index=True)

    class Meta:
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="privacy_access_subject")]
        permissions = [("data_protection", _("Can act as data-protection officer (access log, retention runs, subject export)"))]

    def __str__(self):
        return f"{self.username} · {self.subject_type}:{self.subject_id}"


class RetentionRun(models.Model):
    """One run of the retention job (``manage.py privacy_retention`` or the beat): counts per rule, start and end."""

    class Status(models.TextChoices):
        RUNNING = "running", _("running")
        FINISHED = "finished", _("finished")
        FAILED = "failed", _("finished with errors")

    started_at = models.DateTimeField(_("started at"), db_index=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.RUNNING)
    triggered_by = models.CharField(_("started by"), max_length=64, blank=True)
    counts = models.JSONField(_("records anonymised per rule"), default=dict)
    errors = models.JSONField(_("errors per rule"), default=dict, blank=True)

    class Meta:
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")
        ordering = ["-started_at", "-id"]

    def __str__(self):
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.get_status_display()}"

    @property
    def total(self) -> int:
        return sum(self.counts.values())
