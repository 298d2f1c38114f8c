"""Tasks from every channel, their duplicates, steps, whistles, deferrals, partners and the reply outbox."""
import hashlib
import os
import secrets
import uuid

from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from apps.workflow.models import StepLog
from apps.workflow.sequences import SequenceCounter


class Source(models.TextChoices):
    HOTLINE = "hotline", _("12345 hotline")
    OPEN311 = "open311", _("Open311 partner")
    CITIZEN = "citizen", _("citizen report")
    PATROL = "patrol", _("patrol finding")
    SUPERVISION = "supervision", _("supervision item")
    WHISTLE = "whistle", _("whistle")
    SENSOR = "sensor", _("sensor alarm")
    DISPATCHER = "dispatcher", _("entered by a dispatcher")


class Status(models.TextChoices):
    NEW = "new", _("new")
    DISPATCHED = "dispatched", _("dispatched")
    ACCEPTED = "accepted", _("accepted")
    IN_PROGRESS = "in_progress", _("being handled")
    FEEDBACK = "feedback", _("awaiting verification")
    DEFERRED = "deferred", _("on the ledger (挂账)")
    CLOSED = "closed", _("closed")
    MERGED = "merged", _("merged into another task")


OPEN_STATUSES = [Status.NEW, Status.DISPATCHED, Status.ACCEPTED, Status.IN_PROGRESS, Status.FEEDBACK, Status.DEFERRED]


class Partner(models.Model):
    """A system that sends us reports: the 12345 centre or an Open311 client."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    organization = models.ForeignKey("gbcp.Organization", verbose_name=_("organisation"), null=True, blank=True, on_delete=models.SET_NULL)
    open311_key_hash = models.CharField(_("Open311 API key (SHA-256)"), max_length=64, blank=True, db_index=True)
    hotline_secret = models.CharField(_("hotline HMAC secret"), max_length=128, blank=True)
    reply_url = models.URLField(_("reply webhook URL"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords(excluded_fields=["hotline_secret"])

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def __str__(self):
        return self.name

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def new_secret() -> str:
        return secrets.token_urlsafe(32)


def default_dedup_radius_m():
    return settings.DISPATCH_DEDUP_DEFAULTS["radius_m"]


def default_dedup_window_hours():
    return settings.DISPATCH_DEDUP_DEFAULTS["window_hours"]


def default_merge_threshold():
    return settings.DISPATCH_DEDUP_DEFAULTS["merge_threshold"]


def default_suggest_threshold():
    return settings.DISPATCH_DEDUP_DEFAULTS["suggest_threshold"]


class CategoryRule(models.Model):
    """Dedup radius, time window and thresholds of a category.

    A new rule starts from ``settings.DISPATCH_DEDUP_DEFAULTS``, the values a category without a rule uses,
    so adding a rule in the admin changes nothing until someone edits it.
    """

    category = models.OneToOneField("gbcp.Category", verbose_name=_("category"), on_delete=models.CASCADE, related_name="dispatch_rule")
    dedup_radius_m = models.PositiveIntegerField(_("dedup radius (m)"), default=default_dedup_radius_m)
    dedup_window_hours = models.PositiveIntegerField(_("dedup window (hours)"), default=default_dedup_window_hours)
    merge_threshold = models.FloatField(_("merge above"), default=default_merge_threshold)
    suggest_threshold = models.FloatField(_("suggest above"), default=default_suggest_threshold)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("category dispatch rule")
        verbose_name_plural = _("category dispatch rules")

    def __str__(self):
        return str(self.category)


class Task(models.Model):
    """One problem to solve (案卷), whatever channel it came from."""

    class Priority(models.IntegerChoices):
        LOW = 1, _("low")
        NORMAL = 2, _("normal")
        HIGH = 3, _("high")
        URGENT = 4, _("urgent")

    class Alert(models.TextChoices):
        NONE = "", _("on time")
        YELLOW = "yellow", _("yellow: four fifths of the time used")
        RED = "red", _("red: overdue")

    number = models.CharField(_("task number"), max_length=20, unique=True)
    tracking_code = models.CharField(_("tracking code"), max_length=12, unique=True)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices, db_index=True)
    external_ref = models.CharField(_("external reference"), max_length=64, blank=True)
    partner = models.ForeignKey(Partner, verbose_name=_("partner"), null=True, blank=True, on_delete=models.PROTECT, related_name="tasks")
    category = models.ForeignKey("gbcp.Category", verbose_name=_("category"), null=True, blank=True, on_delete=models.PROTECT, related_name="tasks")
    category_confidence = models.FloatField(_("classification confidence"), null=True, blank=True)
    category_method = models.CharField(_("classified by"), max_length=16, blank=True)
    description = models.TextField(_("description"))
    point = models.PointField(_("location"), srid=4326, null=True, blank=True, spatial_index=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    region = models.ForeignKey("gbcp.Region", verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT, related_name="tasks")
    region_code = models.CharField(_("region code"), max_length=12, blank=True, db_index=True)
    grid = models.ForeignKey("gbcp.Grid", verbose_name=_("grid"), null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks")
    place = models.ForeignKey("gbcp.Place", verbose_name=_("place"), null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks")
    organization = models.ForeignKey("gbcp.Organization", verbose_name=_("handling organisation"), null=True, blank=True, on_delete=models.PROTECT, related_name="tasks")
    route_reason = models.CharField(_("routing reason"), max_length=255, blank=True)
    reporter_name = models.CharField(_("reporter"), max_length=64, blank=True)
    reporter_phone = models.CharField(_("reporter phone"), max_length=32, blank=True, db_index=True)
    reporter_user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reporting user"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority.choices, default=Priority.NORMAL)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.NEW, db_index=True)
    alert = models.CharField(_("deadline alert"), max_length=8, choices=Alert.choices, default=Alert.NONE, blank=True)
    received_at = models.DateTimeField(_("received at"), db_index=True)
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True, db_index=True)
    external_deadline = models.DateTimeField(_("partner's deadline"), null=True, blank=True)
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    handled_at = models.DateTimeField(_("feedback at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("officer in charge"), null=True, blank=True, on_delete=models.SET_NULL, related_name="dispatch_tasks")
    master = models.ForeignKey("self", verbose_name=_("merged into"), null=True, blank=True, on_delete=models.PROTECT, related_name="duplicates")
    reopened_from = models.ForeignKey(
        "self", verbose_name=_("reopened from (重办)"), null=True, blank=True, on_delete=models.PROTECT, related_name="reopenings",
        help_text=_("The closed task whose dissatisfied rating sent the work back to be done again."),
    )
    duplicate_count = models.PositiveIntegerField(_("merged reports"), default=0)
    result = models.TextField(_("handling result"), blank=True)
    solved = models.BooleanField(_("solved"), null=True, blank=True)
    satisfied = models.BooleanField(_("reporter satisfied"), null=True, blank=True)
    process = models.OneToOneField("viewflow.Process", verbose_name=_("workflow process"), null=True, blank=True, on_delete=models.SET_NULL, related_name="dispatch_task")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "partner", "external_ref"], condition=~models.Q(external_ref=""), name="task_unique_external_ref"),
        ]
        indexes = [
            models.Index(fields=["status", "received_at"], name="task_status_received"),
            models.Index(fields=["category", "status", "received_at"], name="task_dedup_window"),
        ]

    def __str__(self):
        return f"{self.number} {self.description[:30]}"

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES


class TaskLog(StepLog):
    """A step on a task, with who, when and why (returns and rejections need a reason)."""

    subject_field = "task"
    ACTION_LABELS = {
        "intake": pgettext_lazy("task log", "received"), "categorised": pgettext_lazy("task log", "category set"),
        "dispatch": pgettext_lazy("task log", "dispatched"), "accept": pgettext_lazy("task log", "accepted"),
        "return": pgettext_lazy("task log", "returned"), "arrive": pgettext_lazy("task log", "arrived on site"),
        "feedback": pgettext_lazy("task log", "feedback sent"), "reject": pgettext_lazy("task log", "feedback sent back"),
        "close": pgettext_lazy("task log", "closed"), "refer": pgettext_lazy("task log", "referred"),
        "escalate": pgettext_lazy("task log", "escalated to a case"), "defer": pgettext_lazy("task log", "put on the ledger asked"),
        "defer_approved": pgettext_lazy("task log", "put on the ledger"), "write_off": pgettext_lazy("task log", "written off"),
        "whistle": pgettext_lazy("task log", "whistle blown"), "report_in": pgettext_lazy("task log", "department reported in"),
        "merged": pgettext_lazy("task log", "merged into another task"), "duplicate_added": pgettext_lazy("task log", "duplicate report added"),
        "rate": pgettext_lazy("task log", "rated by the reporter"), "rating_link": pgettext_lazy("task log", "rating link sent"),
        "reopen": pgettext_lazy("task log", "reopened"),
    }

    task = models.ForeignKey(Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="logs")

    class Meta(StepLog.Meta):
        verbose_name = _("task log entry")
        verbose_name_plural = _("task log")

    def __str__(self):
        return f"{self.task.number} {self.action}"


class TaskRating(models.Model):
    """The reporter's judgement of a closed task (综合评价): one per task; a task without one is unrated, never satisfied."""

    class Level(models.TextChoices):
        SATISFIED = "satisfied", _("satisfied")
        BASIC = "basic", _("basically satisfied")
        DISSATISFIED = "dissatisfied", _("dissatisfied")

    class Channel(models.TextChoices):
        PORTAL = "portal", _("tracking page")
        SMS = "sms", _("SMS link")
        HOTLINE = "hotline", _("12345 call-back")
        STAFF = "staff", _("recorded by staff")

    task = models.OneToOneField(Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="rating")
    level = models.CharField(_("rating"), max_length=16, choices=Level.choices, db_index=True)
    comment = models.TextField(_("comment"), blank=True)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    rated_at = models.DateTimeField(_("rated at"), db_index=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("task rating")
        verbose_name_plural = _("task ratings")
        ordering = ["-rated_at", "-id"]

    def __str__(self):
        return f"{self.task.number} {self.get_level_display()}"


class Open311Contact(models.Model):
    """What an Open311 client sent about its user and the request, kept as sent (GeoReport v2 POST fields).

    Personal data: staff see it masked by their clearance; the public API never shows it (media_url aside, which
    the client published itself)."""

    task = models.OneToOneField(Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="open311_contact")
    email = models.EmailField(_("e-mail"), blank=True)
    first_name = models.CharField(_("given name"), max_length=32, blank=True)
    last_name = models.CharField(_("family name"), max_length=32, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    media_url = models.URLField(_("media URL"), max_length=500, blank=True)
    address_string = models.CharField(_("address as sent"), max_length=255, blank=True)
    address_id = models.CharField(_("address id"), max_length=64, blank=True)
    device_id = models.CharField(_("device id"), max_length=128, blank=True)
    account_id = models.CharField(_("account id"), max_length=128, blank=True)

    class Meta:
        verbose_name = _("Open311 contact")
        verbose_name_plural = _("Open311 contacts")

    def __str__(self):
        return self.task.number


class DuplicateCandidate(models.Model):
    """A scored pair (new report, open task): merged, suggested to the dispatcher, or kept apart."""

    class Decision(models.TextChoices):
        MERGED = "merged", _("merged")
        SUGGESTED = "suggested", _("suggested")
        KEPT = "kept", _("kept apart")

    task = models.ForeignKey(Task, verbose_name=_("report"), on_delete=models.CASCADE, related_name="duplicate_candidates")
    candidate = models.ForeignKey(Task, verbose_name=_("open task"), on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(_("score"))
    parts = models.JSONField(_("score parts"), default=dict)
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("duplicate candidate")
        verbose_name_plural = _("duplicate candidates")
        ordering = ["-score"]
        constraints = [models.UniqueConstraint(fields=["task", "candidate"], name="duplicate_candidate_unique")]


class Deferral(models.Model):
    """挂账: a problem that cannot be solved now, with a plan and a date; written off (销账) when solved."""

    task = models.ForeignKey(Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="deferrals")
    plan = models.TextField(_("plan"))
    target_date = models.DateField(_("target date"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    written_off_at = models.DateTimeField(_("written off at"), null=True, blank=True)
    written_off_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("written off by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("deferral (挂账)")
        verbose_name_plural = _("deferrals (挂账)")


class Whistle(models.Model):
    """吹哨报到: a street office summons departments to a task."""

    task = models.ForeignKey(Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="whistles")
    blown_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("blown by"), on_delete=models.PROTECT, related_name="+")
    street_office = models.ForeignKey("gbcp.Organization", verbose_name=_("street office"), on_delete=models.PROTECT, related_name="whistles")
    reason = models.TextField(_("reason"))
    blown_at = models.DateTimeField(_("blown at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("whistle")
        verbose_name_plural = _("whistles")


class WhistleSummons(models.Model):
    whistle = models.ForeignKey(Whistle, verbose_name=_("whistle"), on_delete=models.CASCADE, related_name="summonses")
    department = models.ForeignKey("gbcp.Organization", verbose_name=_("department"), on_delete=models.PROTECT, related_name="summonses")
    due_at = models.DateTimeField(_("report in by"))
    reported_at = models.DateTimeField(_("reported in at"), null=True, blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reported by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    late_minutes = models.PositiveIntegerField(_("minutes late"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("summons")
        verbose_name_plural = _("summonses")
        constraints = [models.UniqueConstraint(fields=["whistle", "department"], name="summons_unique_department")]


class HotlineTicket(models.Model):
    """A 12345 ticket as received (idempotent by partner and ticket number)."""

    partner = models.ForeignKey(Partner, verbose_name=_("partner"), on_delete=models.PROTECT, related_name="tickets")
    ticket_number = models.CharField(_("ticket number"), max_length=64)
    payload = models.JSONField(_("payload"))
    task = models.ForeignKey(Task, verbose_name=_("task"), on_delete=models.PROTECT, related_name="hotline_tickets")
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        verbose_name = _("12345 ticket")
        verbose_name_plural = _("12345 tickets")
        constraints = [models.UniqueConstraint(fields=["partner", "ticket_number"], name="hotline_ticket_unique")]


class OutboxMessage(models.Model):
    """A reply to a partner (acknowledgement, result, callback), delivered by Celery with retries."""

    class Kind(models.TextChoices):
        ACK = "ack", _("acknowledgement")
        RESULT = "result", _("result reply")
        CALLBACK = "callback", _("callback result (回访)")

    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        DELIVERED = "delivered", _("delivered")
        FAILED = "failed", _("failed for good")

    partner = models.ForeignKey(Partner, verbose_name=_("partner"), on_delete=models.PROTECT, related_name="outbox")
    task = models.ForeignKey(Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="outbox")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    payload = models.JSONField(_("payload"))
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.PENDING, db_index=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox")
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["task", "kind"], name="outbox_one_per_kind")]


class NumberSequence(SequenceCounter):
    """Counters behind task numbers (one per day), handed out by ``apps.workflow.sequences.next_value``."""


def task_photo_path(instance, filename):
    # A random name, never guessable; the file is sent only through the access-checked views (apps.gbcp.files).
    ext = os.path.splitext(filename)[1].lower() or ".jpg"
    return f"tasks/{instance.task.tracking_code}/{uuid.uuid4().hex}{ext}"


class TaskPhoto(models.Model):
    """A photo of the problem: from the report (citizen, officer) or with the feedback after handling."""

    class Stage(models.TextChoices):
        REPORT = "report", _("report")
        FEEDBACK = "feedback", _("feedback")

    task = models.ForeignKey(Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="photos")
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices)
    image = models.ImageField(_("image"), upload_to=task_photo_path)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("task photo")
        verbose_name_plural = _("task photos")
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.image.name


class IntakeKey(models.Model):
    """An idempotency key (幂等键) of an intake request: a retry with the key gets the first answer, never a second task.

    ``scope`` names the caller (an Open311 partner, a user, the anonymous portal), so one
    caller's keys never meet another's; ``fingerprint`` is the digest of what was asked.
    """

    scope = models.CharField(_("scope"), max_length=64)
    key = models.CharField(_("key"), max_length=255)
    fingerprint = models.CharField(_("request fingerprint"), max_length=64)
    # Empty only inside the transaction that claims the key (the row is inserted first, so a
    # concurrent retry waits on the unique index instead of taking in a second task).
    task = models.ForeignKey(Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="+", null=True)
    response_status = models.PositiveSmallIntegerField(_("response status"), default=0)
    response_body = models.JSONField(_("response body"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)

    class Meta:
        verbose_name = _("intake idempotency key")
        verbose_name_plural = _("intake idempotency keys")
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="intake_key_unique_per_scope")]

    def __str__(self):
        return f"{self.scope} {self.key}"


from apps.dispatch.action_key import OfficerActionKey  # noqa: E402 - its own module, to keep this one under the size limit
