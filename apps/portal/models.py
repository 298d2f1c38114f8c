"""Co-governance (社会共治) data of the portal: phone codes of business sign-up, targeted notices and their recipients."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.gbcp.models import Entity, Place


class PhoneCode(models.Model):
    """A one-time sign-up code sent by SMS to the phone the ledger holds for a business; only its HMAC is kept."""

    entity = models.ForeignKey("gbcp.Entity", verbose_name=_("business"), on_delete=models.CASCADE, related_name="+")
    phone = models.CharField(_("phone"), max_length=32, db_index=True)
    code_hash = models.CharField(_("code (HMAC-SHA256)"), max_length=64)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    attempts = models.PositiveSmallIntegerField(_("failed attempts"), default=0)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("phone code")
        verbose_name_plural = _("phone codes")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.entity_id} · {self.created_at:%Y-%m-%d %H:%M}"


class Notice(models.Model):
    """精准推送: a notice staff send to the businesses of an area, place kind, business kind or list; recipients fixed at sending."""

    title = models.CharField(_("title"), max_length=128)
    body = models.TextField(_("text"), max_length=4000)
    region_code = models.CharField(_("area (region code prefix)"), max_length=12, db_index=True)
    place_kinds = models.JSONField(_("place kinds"), default=list, blank=True)
    entity_kinds = models.JSONField(_("business kinds"), default=list, blank=True)
    entities = models.ManyToManyField("gbcp.Entity", verbose_name=_("listed businesses"), blank=True, related_name="+")
    needs_ack = models.BooleanField(_("acknowledgement asked"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("written by"), on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)
    history = HistoricalRecords(m2m_fields=[entities])

    class Meta:
        verbose_name = _("targeted notice (精准推送)")
        verbose_name_plural = _("targeted notices")
        ordering = ["-sent_at", "-id"]

    def __str__(self):
        return self.title

    def place_kind_labels(self):
        labels = dict(Place.Kind.choices)
        return [labels.get(k, k) for k in self.place_kinds]

    def entity_kind_labels(self):
        labels = dict(Entity.Kind.choices)
        return [labels.get(k, k) for k in self.entity_kinds]


class NoticeRecipient(models.Model):
    """One business a notice was sent to, with when it was read and acknowledged (and by whom)."""

    notice = models.ForeignKey(Notice, verbose_name=_("notice"), on_delete=models.CASCADE, related_name="recipients")
    entity = models.ForeignKey("gbcp.Entity", verbose_name=_("business"), on_delete=models.PROTECT, related_name="portal_notices")
    sms_status = models.CharField(_("SMS"), max_length=16, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    read_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("read by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("acknowledged by"), null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("notice recipient")
        verbose_name_plural = _("notice recipients")
        ordering = ["notice", "entity__name", "id"]
        constraints = [models.UniqueConstraint(fields=["notice", "entity"], name="portal_notice_recipient_unique")]

    def __str__(self):
        return f"{self.notice} → {self.entity}"
