"""After the decision (art. 73): administrative review (行政复议) and litigation (行政诉讼) against it, with their outcome.

Execution is not suspended while they run (art. 73(1)): nothing here stops the case. An outcome that changes or
revokes the decision, or confirms it unlawful, starts the withdrawal of its disclosure (art. 48(2)) and counts in
evaluation's case quality (``overturned``).
"""
from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class CaseChallenge(models.Model):
    """复议/诉讼: who filed it when, with which organ or court, and how it ended."""

    class Kind(models.TextChoices):
        REVIEW = "review", _("administrative review (行政复议)")
        LITIGATION = "litigation", _("administrative litigation (行政诉讼)")

    class Outcome(models.TextChoices):
        PENDING = "pending", _("pending (审理中)")
        UPHELD = "upheld", _("upheld (维持)")
        CHANGED = "changed", _("changed (变更)")
        REVOKED = "revoked", _("revoked (撤销)")
        UNLAWFUL = "unlawful", _("confirmed unlawful (确认违法)")
        WITHDRAWN = "withdrawn", _("application withdrawn (撤回申请)")

    case = models.ForeignKey("cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="challenges")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    applicant = models.CharField(_("filed by"), max_length=128)
    filed_on = models.DateField(_("filed on"))
    organ = models.CharField(_("review organ or court"), max_length=128)
    reference = models.CharField(_("reference of the application"), max_length=64, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, default=Outcome.PENDING, db_index=True)
    outcome_on = models.DateField(_("outcome on"), null=True, blank=True)
    outcome_reference = models.CharField(_("document reference of the outcome"), max_length=64, blank=True)
    outcome_note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("outcome recorded by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("review or litigation (复议/诉讼)")
        verbose_name_plural = _("reviews and litigation (复议/诉讼)")
        ordering = ["filed_on", "id"]

    def __str__(self):
        return f"{self.case.number} {self.get_kind_display()}"

    @property
    def pending(self) -> bool:
        return self.outcome == self.Outcome.PENDING

    @property
    def overturned(self) -> bool:
        return self.outcome in OVERTURNING


# Outcomes that correct the decision: they withdraw its disclosure and count as overturned in evaluation.
OVERTURNING = (CaseChallenge.Outcome.CHANGED, CaseChallenge.Outcome.REVOKED, CaseChallenge.Outcome.UNLAWFUL)
