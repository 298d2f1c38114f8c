"""The daily rollup behind rankings, its runs, and the internal assessment schemes (内部监督考核).

The formulas are in docs/EVALUATION.md; the counts kept per organisation and day are those of
``apps.evaluation.figures.Tally`` (one field each, same names).
"""
from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.evaluation.figures import FIGURES, TALLY_FIELDS


class DailyRollup(models.Model):
    """Counts of one organisation (alone, not its descendants) on one local day: tasks by the day they were
    received, summonses by the day they were due. Rebuilt by ``manage.py evaluation_rollup``, kept by beat."""

    organization = models.ForeignKey("gbcp.Organization", verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("day"))
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("daily rollup")
        verbose_name_plural = _("daily rollups")
        constraints = [models.UniqueConstraint(fields=["day", "organization"], name="evaluation_rollup_day_org")]

    def __str__(self):
        return f"{self.organization_id} {self.day}"


for _name in TALLY_FIELDS:
    DailyRollup.add_to_class(_name, models.BigIntegerField(default=0))


class RollupRun(models.Model):
    """One rebuild of rollup days: by the command (a range) or by beat (the days that changed)."""

    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    first_day = models.DateField(_("first day"), null=True, blank=True)
    last_day = models.DateField(_("last day"), null=True, blank=True)
    days = models.PositiveIntegerField(_("days rebuilt"), default=0)
    rows = models.PositiveIntegerField(_("rows written"), default=0)
    trigger = models.CharField(_("trigger"), max_length=16)

    class Meta:
        verbose_name = _("rollup run")
        verbose_name_plural = _("rollup runs")
        ordering = ["-started_at", "-id"]


class AssessmentScheme(models.Model):
    """内部监督考核: the indicators, weights and targets a bureau scores its units by over one period."""

    class UnitKind(models.TextChoices):
        DISTRICT = "district", _("district bureaus")
        STREET = "street", _("street squads")
        DEPARTMENT = "department", _("functional departments")

    name = models.CharField(_("name"), max_length=128)
    unit_kind = models.CharField(_("units ranked"), max_length=16, choices=UnitKind.choices)
    region = models.ForeignKey("gbcp.Region", verbose_name=_("only units inside"), on_delete=models.PROTECT, related_name="+",
                               help_text=_("The city for every unit; a district for its own squads."))
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assessment scheme")
        verbose_name_plural = _("assessment schemes")
        ordering = ["-period_start", "name", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(period_end__gte=models.F("period_start")), name="evaluation_scheme_period_order")]

    def __str__(self):
        return self.name


class Indicator(models.Model):
    """One figure of a scheme with its weight, target and direction (formula in docs/EVALUATION.md §8)."""

    class Direction(models.TextChoices):
        HIGHER = "higher", _("higher is better")
        LOWER = "lower", _("lower is better")

    scheme = models.ForeignKey(AssessmentScheme, verbose_name=_("scheme"), on_delete=models.CASCADE, related_name="indicators")
    figure = models.CharField(_("figure"), max_length=32, choices=[(key, label) for key, label in FIGURES.items()])
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2, validators=[MinValueValidator(0.01)])
    target = models.DecimalField(_("target"), max_digits=10, decimal_places=4, validators=[MinValueValidator(0)],
                                 help_text=_("Rates as fractions (0.95 for 95 %), minutes as minutes."))
    direction = models.CharField(_("direction"), max_length=8, choices=Direction.choices, default=Direction.HIGHER)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["scheme", "id"]
        constraints = [models.UniqueConstraint(fields=["scheme", "figure"], name="evaluation_indicator_once")]

    def __str__(self):
        return f"{self.get_figure_display()} × {self.weight}"
