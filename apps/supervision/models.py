"""Supervision (督察督办): the rules the bureau configures, the items raised by people and by rules, their step log."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.supervision.rulekinds import DEFAULT_TEMPLATES, RuleKind, clean_parameters, clean_template
from apps.workflow.models import StepLog
from apps.workflow.sequences import SequenceCounter


class Responsible(models.TextChoices):
    HANDLER = "handler", _("the subject's handling unit (承办单位)")
    DISTRICT = "district", _("the enforcement bureau of the subject's district (区执法局)")


class SupervisionRule(models.Model):
    """督办规则: a condition over tasks, cases and whistles that raises a supervision item once per cause."""

    kind = models.CharField(_("kind"), max_length=32, choices=RuleKind.choices)
    name = models.CharField(_("name"), max_length=100)
    enabled = models.BooleanField(_("enabled"), default=True)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True,
                                  help_text=_("A JSON object; each kind has its own keys (see docs/SUPERVISION.md). Missing keys take their defaults."))
    deadline_days = models.PositiveSmallIntegerField(_("deadline (working days)"), default=5)
    responsible = models.CharField(_("responsible party"), max_length=16, choices=Responsible.choices, default=Responsible.HANDLER)
    explanation = models.TextField(_("explanation template"), blank=True,
                                   help_text=_("Why it fired, naming parameters and measured values in braces; empty: the kind's default."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("supervision rule")
        verbose_name_plural = _("supervision rules")
        ordering = ["kind", "name", "id"]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        self.parameters = clean_parameters(self.kind, self.parameters)
        if self.deadline_days < 1:
            raise ValidationError({"deadline_days": _("At least one working day.")})
        clean_template(self.kind, self.explanation)

    @property
    def template(self) -> str:
        return self.explanation or DEFAULT_TEMPLATES[self.kind]


class Source(models.TextChoices):
    MANUAL = "manual", _("raised by a person")
    RULE = "rule", _("raised by a rule")


class Status(models.TextChoices):
    RAISED = "raised", _("raised, to be signed for (待签收)")
    SIGNED = "signed", _("to be dispatched (待交办)")
    DISPATCHED = "dispatched", _("being handled (办理中)")
    HANDLED = "handled", _("awaiting review (待审核)")
    APPROVED = "approved", _("approved, to be closed (待办结)")
    CLOSED = "closed", _("closed (已办结)")
    ARCHIVED = "archived", _("archived (已归档)")


OPEN_STATUSES = [Status.RAISED, Status.SIGNED, Status.DISPATCHED, Status.HANDLED, Status.APPROVED]


class Alert(models.TextChoices):
    NONE = "", _("on time")
    YELLOW = "yellow", _("yellow: four fifths of the time used")
    RED = "red", _("red: overdue")


class SupervisionItem(models.Model):
    """督办事项: one slip to be put right by a responsible unit, with a deadline on the working calendar."""

    number = models.CharField(_("number"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("details"), blank=True)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices, db_index=True)
    rule = models.ForeignKey(SupervisionRule, verbose_name=_("rule"), null=True, blank=True, on_delete=models.PROTECT, related_name="items")
    # The cause a rule fired on ("<rule>:task:<id>"): unique, so the same cause never raises a second item.
    cause_key = models.CharField(_("cause"), max_length=120, unique=True, null=True, blank=True)
    measured = models.JSONField(_("why it fired"), default=dict, blank=True)
    task = models.ForeignKey("dispatch.Task", verbose_name=_("task"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    case = models.ForeignKey("cases.Case", verbose_name=_("case"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    whistle = models.ForeignKey("dispatch.Whistle", verbose_name=_("whistle"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    place = models.ForeignKey("gbcp.Place", verbose_name=_("place"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    grid = models.ForeignKey("gbcp.Grid", verbose_name=_("grid"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    related_task_ids = models.JSONField(_("tasks behind it"), default=list, blank=True)
    organization = models.ForeignKey("gbcp.Organization", verbose_name=_("responsible unit"), on_delete=models.PROTECT, related_name="supervision_items")
    region_code = models.CharField(_("region code"), max_length=12, db_index=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, db_index=True)
    deadline_days = models.PositiveSmallIntegerField(_("deadline (working days)"), default=5)
    deadline = models.DateTimeField(_("deadline"), db_index=True)
    warn_at = models.DateTimeField(_("yellow warning from"))
    alerts_sent = models.JSONField(_("warnings sent"), default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    signed_at = models.DateTimeField(_("signed for at"), null=True, blank=True)
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    result = models.TextField(_("handling result"), blank=True)
    returns = models.PositiveSmallIntegerField(_("returns"), default=0)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    feedback = models.TextField(_("feedback"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    process = models.OneToOneField("viewflow.Process", verbose_name=_("workflow process"), null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="supervision_item")
    history = HistoricalRecords(excluded_fields=["alerts_sent"])

    class Meta:
        verbose_name = _("supervision item")
        verbose_name_plural = _("supervision items")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "deadline"], name="supervision_status_deadline")]

    def __str__(self):
        return f"{self.number} {self.title[:30]}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def alert_at(self, now=None) -> str:
        """Yellow once four fifths of the time are used, red once overdue; computed when read, never stored."""
        if not self.is_open:
            return Alert.NONE
        now = now or timezone.now()
        if now >= self.deadline:
            return Alert.RED
        if now >= self.warn_at:
            return Alert.YELLOW
        return Alert.NONE

    @property
    def alert(self) -> str:
        return self.alert_at()

    def get_alert_display(self) -> str:
        return str(Alert(self.alert).label)


class SupervisionLog(StepLog):
    """A step on a supervision item, with who, when and why (a return needs a reason)."""

    subject_field = "item"

    item = models.ForeignKey(SupervisionItem, verbose_name=_("supervision item"), on_delete=models.CASCADE, related_name="logs")

    class Meta(StepLog.Meta):
        verbose_name = _("supervision log entry")
        verbose_name_plural = _("supervision log")

    def __str__(self):
        return f"{self.item.number} {self.action}"


class SupervisionSequence(SequenceCounter):
    """Counters behind item numbers (one per year), handed out by ``apps.workflow.sequences.next_value``."""
