"""Checklists, patrol plans and their assignments, double-random draws, inspection records, findings, self-checks and rectifications."""
import os
import uuid

from django.conf import settings
from django.contrib.gis.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.gbcp.models import Place

PLACE_KINDS = Place.Kind.choices


class Outcome(models.TextChoices):
    PASSED = "passed", _("passed")
    FAILED = "failed", _("failed")
    NOT_APPLICABLE = "na", _("not applicable")


class Checklist(models.Model):
    """检查单: what an inspector checks at one kind of place."""

    name = models.CharField(_("name"), max_length=128)
    place_kind = models.CharField(_("place kind"), max_length=32, choices=PLACE_KINDS, unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("checklist (检查单)")
        verbose_name_plural = _("checklists")
        ordering = ["place_kind"]

    def __str__(self):
        return self.name


class ChecklistItem(models.Model):
    """One question of a checklist; a failure points to a case cause (by code) and a task category."""

    checklist = models.ForeignKey(Checklist, verbose_name=_("checklist"), on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("text"), max_length=255)
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)
    cause_code = models.CharField(_("case cause code"), max_length=16, blank=True, help_text=_("The case cause a failure points to, e.g. 01-001."))
    category = models.ForeignKey("gbcp.Category", verbose_name=_("task category"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["checklist", "order", "id"]

    def __str__(self):
        return self.text


class PatrolPlan(models.Model):
    """巡查计划: top-down (city or district staff) or bottom-up (an officer on patrol in his street)."""

    class Origin(models.TextChoices):
        TOP_DOWN = "top_down", _("top-down (set by city or district)")
        BOTTOM_UP = "bottom_up", _("bottom-up (started on patrol)")

    name = models.CharField(_("name"), max_length=128)
    origin = models.CharField(_("origin"), max_length=16, choices=Origin.choices, default=Origin.TOP_DOWN)
    region_code = models.CharField(_("region code (prefix)"), max_length=12, db_index=True)
    grid = models.ForeignKey("gbcp.Grid", verbose_name=_("grid"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    place_kinds = models.JSONField(_("place kinds"), default=list)
    interval_days = models.PositiveSmallIntegerField(_("frequency (days between inspections)"), default=30)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    squad = models.ForeignKey("gbcp.Organization", verbose_name=_("squad"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("patrol plan (巡查计划)")
        verbose_name_plural = _("patrol plans")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.name


class Assignment(models.Model):
    """One place to inspect by a date under a plan, for a squad."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        DONE = "done", _("done")
        OVERDUE = "overdue", _("overdue")

    plan = models.ForeignKey(PatrolPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="assignments")
    place = models.ForeignKey("gbcp.Place", verbose_name=_("place"), on_delete=models.CASCADE, related_name="inspection_assignments")
    region_code = models.CharField(_("region code"), max_length=12, db_index=True)
    due_on = models.DateField(_("due on"), db_index=True)
    squad = models.ForeignKey("gbcp.Organization", verbose_name=_("squad"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    assignees = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("assignees"), blank=True, related_name="inspection_assignments")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN, db_index=True)
    record = models.ForeignKey("InspectionRecord", verbose_name=_("done by record"), null=True, blank=True, on_delete=models.SET_NULL, related_name="assignments")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("inspection assignment")
        verbose_name_plural = _("inspection assignments")
        ordering = ["due_on", "id"]
        constraints = [models.UniqueConstraint(fields=["plan", "place", "due_on"], name="inspection_assignment_unique")]

    def __str__(self):
        return f"{self.place} · {self.due_on}"


class InspectorQualification(models.Model):
    """An officer's law-enforcement certificate (执法证): only holders of an active one are drawn."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("inspector"), on_delete=models.CASCADE, related_name="inspector_qualification")
    badge_number = models.CharField(_("enforcement badge number"), max_length=32, unique=True)
    region_code = models.CharField(_("region code"), max_length=12, db_index=True)
    certificate_valid_until = models.DateField(_("certificate valid until"))
    qualifications = models.JSONField(_("qualifications"), default=list, blank=True, help_text=_("Fields the inspector is trained for, e.g. 市容, 环保."))
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("inspector qualification")
        verbose_name_plural = _("inspector qualifications")
        ordering = ["badge_number"]

    def __str__(self):
        return self.badge_number


class Conflict(models.Model):
    """回避: an inspector must not inspect this place or this business (relatives, former employer …)."""

    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("inspector"), on_delete=models.CASCADE, related_name="inspection_conflicts")
    place = models.ForeignKey("gbcp.Place", verbose_name=_("place"), null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    entity = models.ForeignKey("gbcp.Entity", verbose_name=_("business"), null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=255)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("conflict of interest (回避)")
        verbose_name_plural = _("conflicts of interest")
        constraints = [models.CheckConstraint(condition=models.Q(place__isnull=False) | models.Q(entity__isnull=False), name="inspection_conflict_has_target")]

    def __str__(self):
        return f"{self.inspector} ≠ {self.place or self.entity}"


class Draw(models.Model):
    """双随机一公开: a recorded, replayable random draw of places and inspector pairs."""

    title = models.CharField(_("title"), max_length=128)
    region_code = models.CharField(_("region code (prefix)"), max_length=12, db_index=True)
    place_kinds = models.JSONField(_("place kinds"), default=list)
    place_count = models.PositiveIntegerField(_("number of places"))
    seed_hex = models.CharField(_("seed (hex)"), max_length=128)
    algorithm = models.CharField(_("algorithm"), max_length=64)
    candidates = models.JSONField(_("candidate places and weights"), default=list)
    pool = models.JSONField(_("inspector pool"), default=list)
    conflicts = models.JSONField(_("conflicts (inspector, place)"), default=list)
    inputs_sha256 = models.CharField(_("SHA-256 of the inputs"), max_length=64)
    result = models.JSONField(_("result"), default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("drawn by"), null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("drawn at"), auto_now_add=True)
    is_published = models.BooleanField(_("published"), default=False, db_index=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("double-random draw (双随机)")
        verbose_name_plural = _("double-random draws")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title


class InspectionRecord(models.Model):
    """巡查记录: one inspection of a place by two officers, entered on the spot."""

    class IdentifiedBy(models.TextChoices):
        CITY_CODE = "city_code", _("city code typed")
        QR_PHOTO = "qr_photo", _("photo of the QR label")
        LEDGER = "ledger", _("ledger id")
        POINT = "point", _("nearest place on the map")

    class UsccSource(models.TextChoices):
        NONE = "", _("not given")
        QR = "qr", _("read from the licence QR code")
        TYPED = "typed", _("typed")

    place = models.ForeignKey("gbcp.Place", verbose_name=_("place"), on_delete=models.PROTECT, related_name="inspection_records")
    region_code = models.CharField(_("region code"), max_length=12, db_index=True)
    checklist = models.ForeignKey(Checklist, verbose_name=_("checklist"), on_delete=models.PROTECT, related_name="+")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("officer"), on_delete=models.PROTECT, related_name="inspection_records")
    co_officer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("co-officer"), on_delete=models.PROTECT, related_name="co_inspection_records")
    point = models.PointField(_("GPS point"), srid=4326, null=True, blank=True)
    inspected_at = models.DateTimeField(_("inspected at"), db_index=True)
    identified_by = models.CharField(_("place identified by"), max_length=16, choices=IdentifiedBy.choices)
    uscc = models.CharField(_("operator's USCC"), max_length=18, blank=True)
    uscc_source = models.CharField(_("USCC source"), max_length=8, choices=UsccSource.choices, blank=True)
    ledger_uscc = models.CharField(_("USCC in the ledger"), max_length=18, blank=True)
    uscc_mismatch = models.BooleanField(_("USCC differs from the ledger"), default=False)
    passed = models.BooleanField(_("all items passed"), default=True)
    note = models.TextField(_("note"), blank=True)
    draw = models.ForeignKey(Draw, verbose_name=_("draw"), null=True, blank=True, on_delete=models.SET_NULL, related_name="records")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("inspection record (巡查记录)")
        verbose_name_plural = _("inspection records")
        ordering = ["-inspected_at", "-id"]

    def __str__(self):
        return f"{self.place} · {self.inspected_at:%Y-%m-%d}"


class RecordAnswer(models.Model):
    record = models.ForeignKey(InspectionRecord, verbose_name=_("record"), on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(ChecklistItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["item__order", "item_id"]
        constraints = [models.UniqueConstraint(fields=["record", "item"], name="inspection_answer_unique")]


class Finding(models.Model):
    """问题: a failed item of an inspection, turned once into a task or a case."""

    record = models.ForeignKey(InspectionRecord, verbose_name=_("record"), on_delete=models.CASCADE, related_name="findings")
    item = models.ForeignKey(ChecklistItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="+")
    place = models.ForeignKey("gbcp.Place", verbose_name=_("place"), on_delete=models.PROTECT, related_name="inspection_findings")
    region_code = models.CharField(_("region code"), max_length=12, db_index=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    task = models.ForeignKey("dispatch.Task", verbose_name=_("task"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    case_id = models.PositiveIntegerField(_("case id"), null=True, blank=True)
    case_number = models.CharField(_("case number"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("finding (问题)")
        verbose_name_plural = _("findings")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.place} · {self.item}"

    @property
    def handled(self) -> bool:
        return self.task_id is not None or self.case_id is not None


class SelfCheck(models.Model):
    """自检自查: a merchant checks its own place against the checklist; credit counts them later."""

    place = models.ForeignKey("gbcp.Place", verbose_name=_("place"), on_delete=models.PROTECT, related_name="self_checks")
    entity = models.ForeignKey("gbcp.Entity", verbose_name=_("business"), on_delete=models.PROTECT, related_name="self_checks")
    region_code = models.CharField(_("region code"), max_length=12, db_index=True)
    checklist = models.ForeignKey(Checklist, verbose_name=_("checklist"), on_delete=models.PROTECT, related_name="+")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True, db_index=True)
    passed = models.BooleanField(_("all items passed"), default=True)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("self-check (自检自查)")
        verbose_name_plural = _("self-checks")
        ordering = ["-submitted_at", "-id"]

    def __str__(self):
        return f"{self.place} · {self.submitted_at:%Y-%m-%d}"


class SelfCheckAnswer(models.Model):
    self_check = models.ForeignKey(SelfCheck, verbose_name=_("self-check"), on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(ChecklistItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("self-check answer")
        verbose_name_plural = _("self-check answers")
        ordering = ["item__order", "item_id"]
        constraints = [models.UniqueConstraint(fields=["self_check", "item"], name="inspection_selfcheck_answer_unique")]


def rectification_photo_path(instance, filename):
    # A random name, never guessable; the file leaves only through the access-checked view (apps.gbcp.files).
    ext = os.path.splitext(filename)[1].lower() or ".jpg"
    return f"rectifications/{instance.rectification_id}/{uuid.uuid4().hex}{ext}"


class Rectification(models.Model):
    """整改: a problem the business fixes by a deadline, from its own self-check or as a notice (整改通知) of an inspection."""

    class Origin(models.TextChoices):
        SELF_CHECK = "self_check", _("self-check (自检自查)")
        INSPECTION = "inspection", _("inspection notice (整改通知)")

    class Status(models.TextChoices):
        OPEN = "open", _("to be fixed")
        ANSWERED = "answered", _("answered, awaiting acceptance")
        RETURNED = "returned", _("returned, fix again")
        ACCEPTED = "accepted", _("accepted")
        DONE = "done", _("fixed (self-check)")

    OPEN_STATUSES = (Status.OPEN, Status.RETURNED)

    origin = models.CharField(_("origin"), max_length=16, choices=Origin.choices, db_index=True)
    place = models.ForeignKey("gbcp.Place", verbose_name=_("place"), on_delete=models.PROTECT, related_name="rectifications")
    entity = models.ForeignKey("gbcp.Entity", verbose_name=_("business"), on_delete=models.PROTECT, related_name="rectifications")
    region_code = models.CharField(_("region code"), max_length=12, db_index=True)
    item = models.ForeignKey(ChecklistItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="+")
    self_check = models.ForeignKey(SelfCheck, verbose_name=_("self-check"), null=True, blank=True, on_delete=models.CASCADE, related_name="rectifications")
    finding = models.OneToOneField(Finding, verbose_name=_("finding"), null=True, blank=True, on_delete=models.PROTECT, related_name="rectification")
    requirement = models.TextField(_("what to fix"), blank=True)
    deadline = models.DateField(_("deadline"), db_index=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN, db_index=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True, db_index=True)
    answer_note = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("answered by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    return_reason = models.TextField(_("reason for return"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rectification (整改)")
        verbose_name_plural = _("rectifications")
        ordering = ["deadline", "id"]

    def __str__(self):
        return f"{self.place} · {self.item}"

    @property
    def is_overdue(self) -> bool:
        return self.status in self.OPEN_STATUSES and self.deadline < timezone.localdate()


class RectificationPhoto(models.Model):
    """A photo of the problem (the failed self-check item) or of the fix."""

    class Stage(models.TextChoices):
        PROBLEM = "problem", _("problem")
        FIX = "fix", _("fix")

    rectification = models.ForeignKey(Rectification, verbose_name=_("rectification"), on_delete=models.CASCADE, related_name="photos")
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices)
    image = models.ImageField(_("image"), upload_to=rectification_photo_path)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("rectification photo")
        verbose_name_plural = _("rectification photos")
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.image.name


class RecordKey(models.Model):
    """An idempotency key (幂等键) of an inspection record sent by a phone that may retry (the offline field client).

    Scoped to the user who sent it; a retry with the key gets the first answer, never a second record.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+")
    key = models.CharField(_("key"), max_length=255)
    fingerprint = models.CharField(_("request fingerprint"), max_length=64)
    response_status = models.PositiveSmallIntegerField(_("response status"), default=0)
    response_body = models.JSONField(_("response body"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)

    class Meta:
        verbose_name = _("inspection record idempotency key")
        verbose_name_plural = _("inspection record idempotency keys")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="inspection_record_key_unique_per_user")]

    def __str__(self):
        return f"{self.user_id} {self.key}"
