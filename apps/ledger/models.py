"""Models of the ledger (基础台账): licences, frontage zones, key points, their lineage, comparison and corrections."""
import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.gis.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class SourceBatch(models.Model):
    """One imported file from a source department: the lineage of every row it brought."""

    class Kind(models.TextChoices):
        LICENCES = "licences", _("licences")
        ZONES = "zones", _("frontage zones")
        KEY_POINTS = "key_points", _("key points")
        ENTITIES = "entities", _("entities")
        PLACES = "places", _("places")
        DEMO = "demo", _("demo data")

    department = models.CharField(_("source department"), max_length=128)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, db_index=True)
    file_name = models.CharField(_("file name"), max_length=255)
    file_sha256 = models.CharField(_("file SHA-256"), max_length=64, db_index=True)
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("imported by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_created = models.PositiveIntegerField(_("created"), default=0)
    rows_updated = models.PositiveIntegerField(_("updated"), default=0)
    rows_unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    rows_failed = models.PositiveIntegerField(_("failed"), default=0)
    errors = models.JSONField(_("row errors"), default=list, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("source batch")
        verbose_name_plural = _("source batches")
        ordering = ["-imported_at", "-id"]

    def __str__(self):
        return f"{self.department} · {self.file_name} ({self.imported_at:%Y-%m-%d})"


class Lineage(models.Model):
    """Where a row came from: the batch and the row number in its file."""

    source_batch = models.ForeignKey(SourceBatch, verbose_name=_("source batch"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    source_row = models.PositiveIntegerField(_("source row"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def source_department(self) -> str:
        return self.source_batch.department if self.source_batch_id else ""


class EntitySource(Lineage):
    """The lineage of an entity (gbcp.Entity) brought or last changed by another department's file."""

    entity = models.OneToOneField("gbcp.Entity", verbose_name=_("entity"), on_delete=models.CASCADE, related_name="ledger_source")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("entity lineage")
        verbose_name_plural = _("entity lineage")

    def __str__(self):
        return f"{self.entity} ← {self.source_department} #{self.source_row}"


class PlaceSource(Lineage):
    """A place (gbcp.Place) as one department's files know it: that department's own id for it (its key when a file
    gives no city code) and the batch and row that last brought or changed it. One row per place and department."""

    place = models.ForeignKey("gbcp.Place", verbose_name=_("place"), on_delete=models.CASCADE, related_name="ledger_sources")
    department = models.CharField(_("source department"), max_length=128)
    external_id = models.CharField(_("the department's id"), max_length=64, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("place lineage")
        verbose_name_plural = _("place lineage")
        constraints = [
            models.UniqueConstraint(fields=["place", "department"], name="ledger_place_source_place_department"),
            models.UniqueConstraint(fields=["department", "external_id"], condition=~models.Q(external_id=""), name="ledger_place_source_external_id"),
        ]

    def __str__(self):
        return f"{self.place} ← {self.department} {self.external_id}"


class LicenceKind(models.Model):
    """Kind of licence (证照类型), e.g. 食品经营许可证."""

    FOOD = "food_business"

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=64, unique=True)
    name_en = models.CharField(_("English name"), max_length=128, blank=True)
    required_for_place_kinds = models.JSONField(_("required for place kinds"), default=list, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("licence kind")
        verbose_name_plural = _("licence kinds")
        ordering = ["code"]

    def __str__(self):
        return self.name


class Licence(Lineage):
    """证照: a licence or permit held by an entity for a place."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        SUSPENDED = "suspended", _("suspended")
        REVOKED = "revoked", _("revoked")
        EXPIRED = "expired", _("expired")

    kind = models.ForeignKey(LicenceKind, verbose_name=_("kind"), on_delete=models.PROTECT, related_name="licences")
    number = models.CharField(_("number"), max_length=64)
    holder = models.ForeignKey("gbcp.Entity", verbose_name=_("holder"), null=True, blank=True, on_delete=models.PROTECT, related_name="licences")
    place = models.ForeignKey("gbcp.Place", verbose_name=_("place"), null=True, blank=True, on_delete=models.PROTECT, related_name="licences")
    issuing_organization = models.ForeignKey(
        "gbcp.Organization", verbose_name=_("issuing department"), null=True, blank=True, on_delete=models.PROTECT, related_name="issued_licences"
    )
    issuing_department = models.CharField(_("issuing department name"), max_length=128, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True, db_index=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE, db_index=True)
    region_code = models.CharField(_("region code"), max_length=12, db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("licence")
        verbose_name_plural = _("licences")
        ordering = ["-valid_to", "id"]
        constraints = [models.UniqueConstraint(fields=["kind", "number"], name="ledger_licence_unique_kind_number")]

    def __str__(self):
        return f"{self.kind} {self.number}"

    @property
    def department_name(self) -> str:
        return self.issuing_organization.name if self.issuing_organization_id else self.issuing_department

    def effective_status(self, today=None) -> str:
        """The stored status, except that an active licence past its end date counts as expired."""
        today = today or timezone.localdate()
        if self.status == self.Status.ACTIVE and self.valid_to is not None and self.valid_to < today:
            return self.Status.EXPIRED
        return self.status

    def is_valid_on(self, day: dt.date) -> bool:
        if self.status != self.Status.ACTIVE:
            return False
        if self.valid_from and self.valid_from > day:
            return False
        return not (self.valid_to and self.valid_to < day)


class FrontageZone(Lineage):
    """门前三包: the stretch in front of a place its operator keeps clean, tidy and orderly."""

    class Duty(models.TextChoices):
        APPEARANCE = "appearance", _("city appearance (市容)")
        SANITATION = "sanitation", _("environmental sanitation (环境卫生)")
        ORDER = "order", _("order (秩序)")
        GREENERY = "greenery", _("greenery (绿化)")

    code = models.CharField(_("code"), max_length=32, unique=True)
    place = models.ForeignKey("gbcp.Place", verbose_name=_("place"), on_delete=models.PROTECT, related_name="frontage_zones")
    zone = models.PolygonField(_("zone"), srid=4326, null=True, blank=True)
    duties = models.JSONField(_("duties"), default=list, blank=True)
    responsible_name = models.CharField(_("responsible person"), max_length=64, blank=True)
    responsible_phone = models.CharField(_("responsible person's phone"), max_length=32, blank=True)
    responsible_entity = models.ForeignKey("gbcp.Entity", verbose_name=_("responsible entity"), null=True, blank=True, on_delete=models.SET_NULL, related_name="frontage_zones")
    region_code = models.CharField(_("region code"), max_length=12, db_index=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("frontage responsibility zone (门前三包)")
        verbose_name_plural = _("frontage responsibility zones")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.place.name if self.place_id else ''}"


class KeyPoint(Lineage):
    """重点点位: a place or an area inspected at a fixed interval during its active period."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=128)
    place = models.ForeignKey("gbcp.Place", verbose_name=_("place"), null=True, blank=True, on_delete=models.PROTECT, related_name="key_points")
    area = models.PolygonField(_("area"), srid=4326, null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=255)
    interval_days = models.PositiveSmallIntegerField(_("inspection interval (days)"), default=7)
    active_from = models.DateField(_("active from"), null=True, blank=True)
    active_to = models.DateField(_("active to"), null=True, blank=True)
    region_code = models.CharField(_("region code"), max_length=12, db_index=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("key point (重点点位)")
        verbose_name_plural = _("key points")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"

    def is_active_on(self, day: dt.date) -> bool:
        return (self.active_from is None or self.active_from <= day) and (self.active_to is None or self.active_to >= day)


class ComparisonRun(models.Model):
    """比对: one run of the cross-check rules over a region."""

    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("started by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    region_code = models.CharField(_("region code"), max_length=12, blank=True)
    findings_new = models.PositiveIntegerField(_("new findings"), default=0)
    findings_open = models.PositiveIntegerField(_("open findings"), default=0)
    findings_resolved = models.PositiveIntegerField(_("resolved findings"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("comparison run")
        verbose_name_plural = _("comparison runs")
        ordering = ["-started_at", "-id"]

    def __str__(self):
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.region_code}"


class Finding(models.Model):
    """A mismatch the comparison found, to be sent back to its source department."""

    class Rule(models.TextChoices):
        RESTAURANT_WITHOUT_FOOD_LICENCE = "restaurant_without_food_licence", _("restaurant without a valid food business licence")
        EXPIRED_STILL_ACTIVE = "expired_still_active", _("licence past its end date still marked active")
        INVALID_OPERATOR_USCC = "invalid_operator_uscc", _("operator's unified social credit code does not validate")
        HOLDER_NOT_OPERATOR = "holder_not_operator", _("licence holder is not the place's operator")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        SENT_BACK = "sent_back", _("sent back")
        RESOLVED = "resolved", _("resolved")

    run = models.ForeignKey(ComparisonRun, verbose_name=_("comparison run"), on_delete=models.PROTECT, related_name="findings")
    rule = models.CharField(_("rule"), max_length=48, choices=Rule.choices, db_index=True)
    key = models.CharField(_("key"), max_length=96, db_index=True, help_text=_("Rule and subject; one open finding per key."))
    place = models.ForeignKey("gbcp.Place", verbose_name=_("place"), null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_findings")
    licence = models.ForeignKey(Licence, verbose_name=_("licence"), null=True, blank=True, on_delete=models.PROTECT, related_name="findings")
    entity = models.ForeignKey("gbcp.Entity", verbose_name=_("entity"), null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_findings")
    department = models.CharField(_("source department"), max_length=128, blank=True)
    detail = models.CharField(_("detail"), max_length=255, blank=True)
    region_code = models.CharField(_("region code"), max_length=12, db_index=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN, db_index=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.get_rule_display()} · {self.detail}"


class SendBack(models.Model):
    """An export sent back to a source department: findings or accepted corrections (反馈)."""

    class Kind(models.TextChoices):
        FINDINGS = "findings", _("findings")
        CORRECTION = "correction", _("correction feedback")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.FINDINGS)
    department = models.CharField(_("department"), max_length=128)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("sent by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    file_sha256 = models.CharField(_("file SHA-256"), max_length=64, blank=True)
    content = models.BinaryField(_("file"), blank=True, default=b"")
    findings = models.ManyToManyField(Finding, verbose_name=_("findings"), blank=True, related_name="send_backs")
    correction = models.ForeignKey("Correction", verbose_name=_("correction"), null=True, blank=True, on_delete=models.SET_NULL, related_name="send_backs")
    region_code = models.CharField(_("region code"), max_length=12, blank=True, db_index=True)
    history = HistoricalRecords(m2m_fields=[findings], excluded_fields=["content"])

    class Meta:
        verbose_name = _("send-back")
        verbose_name_plural = _("send-backs")
        ordering = ["-sent_at", "-id"]

    def __str__(self):
        return f"{self.department} {self.sent_at:%Y-%m-%d %H:%M}"


class Correction(models.Model):
    """纠错: someone says a ledger record is wrong; a reviewer accepts or rejects it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected")

    target_type = models.ForeignKey(ContentType, verbose_name=_("record type"), on_delete=models.PROTECT)
    target_id = models.PositiveIntegerField(_("record id"))
    target = GenericForeignKey("target_type", "target_id")
    field = models.CharField(_("field"), max_length=64)
    current_value = models.CharField(_("current value"), max_length=255, blank=True)
    proposed_value = models.CharField(_("proposed value"), max_length=255)
    reason = models.TextField(_("reason"))
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reported by"), on_delete=models.PROTECT, related_name="ledger_corrections")
    reported_at = models.DateTimeField(_("reported at"), default=timezone.now)
    region_code = models.CharField(_("region code"), max_length=12, db_index=True)
    department = models.CharField(_("source department"), max_length=128, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("correction (纠错)")
        verbose_name_plural = _("corrections")
        ordering = ["-reported_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="ledger_corr_target_idx")]

    def __str__(self):
        return f"{self.target_type.model}#{self.target_id}.{self.field} → {self.proposed_value}"


class FrontageAssessment(models.Model):
    """门前三包 考核: one month's assessment of a frontage zone, duty by duty; it counts for the responsible business's credit."""

    class Outcome(models.TextChoices):
        PASSED = "passed", _("met (达标)")
        FAILED = "failed", _("not met (不达标)")

    class Grade(models.TextChoices):
        GOOD = "good", _("good (优良)")
        FAIR = "fair", _("fair (合格)")
        POOR = "poor", _("poor (不合格)")

    zone = models.ForeignKey(FrontageZone, verbose_name=_("frontage zone"), on_delete=models.PROTECT, related_name="assessments")
    period = models.DateField(_("month assessed"), help_text=_("The first day of the month the assessment covers."))
    assessed_on = models.DateField(_("assessed on"))
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("assessor"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    results = models.JSONField(_("results by duty"), default=dict, help_text=_("Duty → passed/failed."))
    grade = models.CharField(_("grade"), max_length=8, choices=Grade.choices, db_index=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    entity = models.ForeignKey("gbcp.Entity", verbose_name=_("responsible entity"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    region_code = models.CharField(_("region code"), max_length=12, db_index=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("frontage assessment (门前三包考核)")
        verbose_name_plural = _("frontage assessments")
        ordering = ["-period", "-id"]
        constraints = [models.UniqueConstraint(fields=["zone", "period"], name="ledger_frontage_assessment_once_a_month")]

    def __str__(self):
        return f"{self.zone.code} {self.period:%Y-%m} {self.get_grade_display()}"

    @property
    def failed_duties(self) -> list[str]:
        return [duty for duty, outcome in self.results.items() if outcome == self.Outcome.FAILED]

    def failed_duty_labels(self) -> list[str]:
        labels = dict(FrontageZone.Duty.choices)
        return [str(labels.get(duty, duty)) for duty in self.failed_duties]
