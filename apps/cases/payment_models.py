"""Payment after the decision: deferral and instalments (art. 66) and on-the-spot collection with its hand-in
(arts. 68–71). Models of the cases app, kept in their own module (imported at the end of ``apps.cases.models``)."""
from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class PaymentTermRequest(models.Model):
    """The party's application to defer the fine or pay it in instalments (暂缓或者分期缴纳, art. 66), decided by a leader."""

    class Kind(models.TextChoices):
        DEFERRAL = "deferral", _("deferral (暂缓缴纳)")
        INSTALMENTS = "instalments", _("instalments (分期缴纳)")

    class Outcome(models.TextChoices):
        PENDING = "pending", _("awaiting the leader")
        APPROVED = "approved", _("approved")
        REFUSED = "refused", _("refused")

    case = models.ForeignKey("cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="payment_term_requests")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    reason = models.TextField(_("the party's economic difficulty"))
    new_due = models.DateField(_("new payment date (deferral)"), null=True, blank=True)
    original_due = models.DateField(_("payment date before the application"), null=True, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("applied at"))
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, default=Outcome.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason of the decision"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("deferral or instalment application (暂缓/分期缴纳)")
        verbose_name_plural = _("deferral and instalment applications (暂缓/分期缴纳)")
        ordering = ["requested_at", "id"]

    def __str__(self):
        return f"{self.case.number} {self.get_kind_display()}"


class Instalment(models.Model):
    """One instalment of an application for instalments: amount and date; paid with its own late fee (art. 72)."""

    request = models.ForeignKey(PaymentTermRequest, verbose_name=_("application"), on_delete=models.CASCADE, related_name="instalments")
    case = models.ForeignKey("cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="instalments")
    number = models.PositiveSmallIntegerField(_("instalment no."))
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2)
    due_date = models.DateField(_("due date"))
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    amount_paid = models.DecimalField(_("amount paid (yuan)"), max_digits=12, decimal_places=2, default=0)
    late_fee = models.DecimalField(_("late fee paid (yuan)"), max_digits=12, decimal_places=2, default=0)
    reference = models.CharField(_("bank slip or receipt no."), max_length=64, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("instalment (分期)")
        verbose_name_plural = _("instalments (分期)")
        ordering = ["request_id", "number"]
        constraints = [models.UniqueConstraint(fields=["request", "number"], name="instalment_number_unique")]

    def __str__(self):
        return f"{self.case.number} #{self.number}"


class CashCollection(models.Model):
    """罚款当场收缴 (arts. 68–71): who collected how much against which official receipt, and the hand-in to the bureau
    within 2 working days (art. 71) with its bank slip."""

    class Ground(models.TextChoices):
        SMALL = "small", _("fine of 100 yuan or less (art. 68(1))")
        REMOTE = "remote", _("remote or hard-to-reach place, paying later really hard (art. 69)")

    case = models.OneToOneField("cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="cash_collection")
    ground = models.CharField(_("ground"), max_length=16, choices=Ground.choices)
    reason = models.TextField(_("why paying later is really hard"), blank=True)
    amount = models.DecimalField(_("amount collected (yuan)"), max_digits=12, decimal_places=2)
    late_fee = models.DecimalField(_("of which late fee (yuan)"), max_digits=12, decimal_places=2, default=0)
    receipt_number = models.CharField(_("official receipt no. (专用票据号)"), max_length=32, unique=True)
    collected_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("collected by"), on_delete=models.PROTECT, related_name="+")
    collected_at = models.DateTimeField(_("collected at"))
    handin_due = models.DateTimeField(_("hand-in due"), db_index=True)
    handed_in_at = models.DateTimeField(_("handed in at"), null=True, blank=True)
    handed_in_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("handed in by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    handin_reference = models.CharField(_("bank slip or bureau reference"), max_length=64, blank=True)
    warned = models.BooleanField(_("deadline warning sent"), default=False)
    history = HistoricalRecords(excluded_fields=["warned"])

    class Meta:
        verbose_name = _("on-the-spot collection (当场收缴)")
        verbose_name_plural = _("on-the-spot collections (当场收缴)")
        ordering = ["-collected_at", "-id"]

    def __str__(self):
        return self.receipt_number
