"""Models of credit and risk (信用 + 风险): rule sets, credit records, grades with their reasons, objections, place risk."""
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.credit import rules


class SourceKind(models.TextChoices):
    PENALTY = rules.PENALTY, _("penalty decision (行政处罚决定)")
    FINDING = rules.FINDING, _("inspection finding (巡查发现问题)")
    SELF_CHECK = rules.SELF_CHECK, _("self-check (自检自查)")
    COMPLAINT = rules.COMPLAINT, _("complaint upheld (投诉属实)")
    FRONTAGE = rules.FRONTAGE, _("frontage duty performance (门前三包)")
    COMMENDATION = rules.COMMENDATION, _("commendation (表彰)")
    IMPORTED = rules.IMPORTED, _("record of another department (外部导入)")


class Grade(models.TextChoices):
    A = "A", _("A (good)")
    B = "B", _("B (fair)")
    C = "C", _("C (watch)")
    D = "D", _("D (poor)")


class RiskLevel(models.TextChoices):
    LOW = "low", _("low risk")
    MEDIUM = "medium", _("medium risk")
    HIGH = "high", _("high risk")
    VERY_HIGH = "very_high", _("very high risk")


def _weights():
    return dict(rules.DEFAULT_WEIGHTS)


def _validity():
    return dict(rules.DEFAULT_VALIDITY_DAYS)


def _repair():
    return dict(rules.DEFAULT_REPAIR_AFTER_DAYS)


def _inherent():
    return dict(rules.DEFAULT_RISK_INHERENT)


def _history():
    return {k: list(v) for k, v in rules.DEFAULT_RISK_HISTORY.items()}


def _grade_points():
    return dict(rules.DEFAULT_RISK_GRADE_POINTS)


def _recency():
    return [list(r) for r in rules.DEFAULT_RISK_RECENCY]


def _thresholds():
    return dict(rules.DEFAULT_RISK_THRESHOLDS)


class GradeRuleSet(models.Model):
    """评价规则: one version of how records weigh and grades and risk are set; exactly one version is active."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    name = models.CharField(_("name"), max_length=128, blank=True)
    is_active = models.BooleanField(_("active"), default=False)
    base_score = models.IntegerField(_("base score"), default=80)
    a_min = models.IntegerField(_("lowest score of A"), default=90)
    b_min = models.IntegerField(_("lowest score of B"), default=75)
    c_min = models.IntegerField(_("lowest score of C"), default=60)
    weights = models.JSONField(_("default weight per source"), default=_weights)
    validity_days = models.JSONField(_("validity in days per source"), default=_validity)
    repair_after_days = models.JSONField(_("repairable after days per source"), default=_repair, blank=True)
    major_fine = models.DecimalField(_("major fine from (yuan)"), max_digits=12, decimal_places=2, default=rules.DEFAULT_MAJOR_FINE)
    serious_weight = models.IntegerField(_("serious record at or below (points)"), default=rules.DEFAULT_SERIOUS_WEIGHT,
                                         help_text=_("a record in force weighing this or less puts its business on the joint-punishment list"))
    risk_inherent = models.JSONField(_("inherent risk per place kind"), default=_inherent)
    risk_history = models.JSONField(_("risk points per finding, complaint, case (points, cap)"), default=_history)
    risk_grade_points = models.JSONField(_("risk points per operator grade"), default=_grade_points)
    risk_recency = models.JSONField(_("risk points by recency (within days, points)"), default=_recency)
    risk_thresholds = models.JSONField(_("lowest score of each risk level"), default=_thresholds)
    risk_window_days = models.PositiveIntegerField(_("history window (days)"), default=rules.DEFAULT_RISK_WINDOW_DAYS)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("grade rule set")
        verbose_name_plural = _("grade rule sets")
        ordering = ["-version"]
        constraints = [models.UniqueConstraint(fields=["is_active"], condition=models.Q(is_active=True), name="credit_one_active_ruleset")]

    def __str__(self):
        return f"v{self.version} {self.name}".strip()

    def risk_settings(self) -> rules.RiskSettings:
        return rules.RiskSettings(inherent=self.risk_inherent, history=self.risk_history, grade_points=self.risk_grade_points,
                                  recency=self.risk_recency, thresholds=self.risk_thresholds, window_days=self.risk_window_days)


class CreditRecord(models.Model):
    """信用记录: one fact about a business from one source, with its signed weight, date and expiry."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("in force")
        EXPIRED = "expired", _("expired")
        REPAIRED = "repaired", _("repaired (信用修复)")
        WITHDRAWN = "withdrawn", _("withdrawn")

    entity = models.ForeignKey("gbcp.Entity", verbose_name=_("business"), on_delete=models.PROTECT, related_name="credit_records")
    place = models.ForeignKey("gbcp.Place", verbose_name=_("place"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    region_code = models.CharField(_("region code"), max_length=12, db_index=True, blank=True)
    kind = models.CharField(_("source"), max_length=32, choices=SourceKind.choices, db_index=True)
    source_ref = models.CharField(_("source reference"), max_length=128, help_text=_("e.g. cases.Case:123; one record per source and reference"))
    weight = models.IntegerField(_("weight (points)"))
    rule = models.CharField(_("rule"), max_length=48, blank=True)
    occurred_on = models.DateField(_("occurred on"), db_index=True)
    expires_on = models.DateField(_("expires on"), db_index=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE, db_index=True)
    reason = models.TextField(_("reason"), blank=True)
    department = models.CharField(_("source department"), max_length=128, blank=True)
    ruleset = models.ForeignKey(GradeRuleSet, verbose_name=_("rule set"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    import_batch = models.ForeignKey("credit.CreditImportBatch", verbose_name=_("import batch"), null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="records")
    source_row = models.PositiveIntegerField(_("row in the imported file"), null=True, blank=True)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    status_reason = models.TextField(_("reason of the status"), blank=True)
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("credit record")
        verbose_name_plural = _("credit records")
        ordering = ["-occurred_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["kind", "source_ref"], name="credit_record_once_per_source")]
        indexes = [models.Index(fields=["entity", "status"]), models.Index(fields=["place", "kind", "occurred_on"])]

    def __str__(self):
        return f"{self.entity_id} {self.kind} {self.weight:+d} ({self.occurred_on})"


class EntityGrade(models.Model):
    """信用等级: the current grade of a business, with the records and weights that made it; history keeps the past."""

    entity = models.OneToOneField("gbcp.Entity", verbose_name=_("business"), on_delete=models.CASCADE, related_name="credit_grade")
    region_code = models.CharField(_("region code"), max_length=12, db_index=True, blank=True)
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices, db_index=True)
    score = models.IntegerField(_("score"))
    ruleset = models.ForeignKey(GradeRuleSet, verbose_name=_("rule set"), on_delete=models.PROTECT, related_name="+")
    base_score = models.IntegerField(_("base score"))
    contributions = models.JSONField(_("contributions"), default=list)
    computed_at = models.DateTimeField(_("computed at"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("credit grade")
        verbose_name_plural = _("credit grades")
        ordering = ["entity_id"]

    def __str__(self):
        return f"{self.entity_id}: {self.grade} ({self.score})"


class Objection(models.Model):
    """信用异议: a business disputes one of its records; a legal reviewer decides."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        UPHELD = "upheld", _("upheld (record withdrawn)")
        REJECTED = "rejected", _("rejected")

    entity = models.ForeignKey("gbcp.Entity", verbose_name=_("business"), on_delete=models.PROTECT, related_name="credit_objections")
    record = models.ForeignKey(CreditRecord, verbose_name=_("credit record"), on_delete=models.PROTECT, related_name="objections")
    region_code = models.CharField(_("region code"), max_length=12, db_index=True, blank=True)
    text = models.TextField(_("objection"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.SUBMITTED, db_index=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason of the decision"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("credit objection")
        verbose_name_plural = _("credit objections")
        ordering = ["-submitted_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["record"], condition=models.Q(status="submitted"), name="credit_one_open_objection_per_record")]

    def __str__(self):
        return f"{self.record_id}: {self.get_status_display()}"


class PlaceRisk(models.Model):
    """风险等级: the risk of a place, part by part (inherent, history, operator grade, recency)."""

    place = models.OneToOneField("gbcp.Place", verbose_name=_("place"), on_delete=models.CASCADE, related_name="credit_risk")
    region_code = models.CharField(_("region code"), max_length=12, db_index=True)
    level = models.CharField(_("risk level"), max_length=16, choices=RiskLevel.choices, db_index=True)
    score = models.IntegerField(_("score"))
    parts = models.JSONField(_("parts"), default=list)
    ruleset = models.ForeignKey(GradeRuleSet, verbose_name=_("rule set"), on_delete=models.PROTECT, related_name="+")
    computed_at = models.DateTimeField(_("computed at"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("place risk")
        verbose_name_plural = _("place risks")
        ordering = ["place_id"]

    def __str__(self):
        return f"{self.place_id}: {self.level} ({self.score})"


class CreditImportBatch(models.Model):
    """外部信用记录导入: one file of another department's records, with its hash, counts and row errors (lineage)."""

    department = models.CharField(_("source department"), max_length=128)
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_created = models.PositiveIntegerField(_("records created"), default=0)
    rows_existing = models.PositiveIntegerField(_("records already imported"), default=0)
    rows_failed = models.PositiveIntegerField(_("rows with errors"), default=0)
    errors = models.JSONField(_("row errors"), default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("imported by"), null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("imported at"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("credit import batch")
        verbose_name_plural = _("credit import batches")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.department} {self.file_name} ({self.created_at:%Y-%m-%d})"


class PunishmentExport(models.Model):
    """联合惩戒名单导出: who exported the list, when, in which format, how many rows, the file's SHA-256."""

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"

    exported_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("exported by"), null=True, on_delete=models.SET_NULL, related_name="+")
    exported_at = models.DateTimeField(_("exported at"), default=timezone.now)
    format = models.CharField(_("format"), max_length=8, choices=Format.choices)
    rows = models.PositiveIntegerField(_("rows"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    ruleset = models.ForeignKey(GradeRuleSet, verbose_name=_("rule set"), null=True, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("joint-punishment list export")
        verbose_name_plural = _("joint-punishment list exports")
        ordering = ["-exported_at", "-id"]

    def __str__(self):
        return f"{self.exported_at:%Y-%m-%d %H:%M} {self.format} {self.rows}"
