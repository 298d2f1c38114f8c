"""Coordination (协调联动): case leads handed out to and taken in from other departments (线索移送), with their step log,
documents and evidence bundle; joint operations with other departments (联合执法); tokens of the departments that read shared data (数据共享) and the log of every read."""
from django.conf import settings
from django.contrib.gis.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.workflow.models import StepLog
from apps.workflow.sequences import SequenceCounter


class Direction(models.TextChoices):
    OUT = "out", _("handed out (移出)")
    IN = "in", _("taken in (移入)")


class Status(models.TextChoices):
    DRAFT = "draft", _("draft (草稿)")
    SENT = "sent", _("sent, awaiting receipt (待签收)")
    RECEIVED = "received", _("received, awaiting answer (待答复)")
    ACCEPTED = "accepted", _("accepted (已接收)")
    REFUSED = "refused", _("refused (不予接收)")
    RESULT = "result", _("result fed back (已反馈)")
    CLOSED = "closed", _("closed (已办结)")
    REGISTERED = "registered", _("registered, awaiting decision (待受理)")


# A lead still waiting on someone: what the lists call "open".
OPEN_STATUSES = [Status.DRAFT, Status.SENT, Status.RECEIVED, Status.ACCEPTED, Status.REFUSED, Status.RESULT, Status.REGISTERED]


class Outcome(models.TextChoices):
    """What an accepted lead from another department became on our side."""

    TASK = "task", _("a dispatch task")
    CASE = "case", _("an enforcement case")


class Lead(models.Model):
    """线索移送: a lead handed out to another department, or taken in from one, with its facts, links and deadlines.

    ``organization`` is our side (the sender of a lead handed out, the receiver of one taken in) and sets the lead's
    jurisdiction through ``region_code``; ``department`` is the other side. ``from_organization`` and
    ``to_organization`` read them in the lead's direction.
    """

    number = models.CharField(_("number"), max_length=20, unique=True)
    direction = models.CharField(_("direction"), max_length=4, choices=Direction.choices, db_index=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, db_index=True)
    organization = models.ForeignKey("gbcp.Organization", verbose_name=_("our unit"), on_delete=models.PROTECT, related_name="leads")
    department = models.ForeignKey("gbcp.Organization", verbose_name=_("other department"), on_delete=models.PROTECT, related_name="partner_leads")
    region_code = models.CharField(_("region code"), max_length=12, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    facts = models.TextField(_("facts"))
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)
    external_ref = models.CharField(_("the other department's reference"), max_length=64, blank=True)
    task = models.ForeignKey("dispatch.Task", verbose_name=_("task"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    case = models.ForeignKey("cases.Case", verbose_name=_("case"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    place = models.ForeignKey("gbcp.Place", verbose_name=_("place"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    evidence = models.ManyToManyField("evidence.Evidence", verbose_name=_("evidence"), blank=True, related_name="+")
    receipt_days = models.PositiveSmallIntegerField(_("receipt within (working days)"), default=3)
    feedback_days = models.PositiveSmallIntegerField(_("result within (working days)"), default=30)
    receipt_due = models.DateTimeField(_("receipt due"), null=True, blank=True, db_index=True)
    feedback_due = models.DateTimeField(_("result due"), null=True, blank=True, db_index=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    receipt_by = models.CharField(_("receipt signed by"), max_length=64, blank=True)
    receipt_reference = models.CharField(_("receipt reference"), max_length=64, blank=True,
                                         help_text=_("When our staff record the receipt on the department's behalf: its document or call reference."))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)
    outcome = models.CharField(_("became"), max_length=8, choices=Outcome.choices, blank=True)
    result = models.TextField(_("result"), blank=True)
    result_at = models.DateTimeField(_("result at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    bundle = models.FileField(_("evidence bundle"), max_length=200, blank=True)
    bundle_sha256 = models.CharField(_("bundle SHA-256"), max_length=64, blank=True)
    alerts_sent = models.JSONField(_("warnings sent"), default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    process = models.OneToOneField("viewflow.Process", verbose_name=_("workflow process"), null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="coordination_lead")
    history = HistoricalRecords(excluded_fields=["alerts_sent"])

    class Meta:
        verbose_name = _("case lead")
        verbose_name_plural = _("case leads")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "receipt_due"], name="coordination_lead_receipt"),
                   models.Index(fields=["status", "feedback_due"], name="coordination_lead_feedback")]

    def __str__(self):
        return f"{self.number} {self.title[:30]}"

    @property
    def from_organization(self):
        return self.organization if self.direction == Direction.OUT else self.department

    @property
    def to_organization(self):
        return self.department if self.direction == Direction.OUT else self.organization

    def overdue_at(self, now=None) -> str:
        """"receipt" or "feedback" when that deadline has passed and the step is still awaited, else ""."""
        now = now or timezone.now()
        if self.status == Status.SENT and self.receipt_due and now >= self.receipt_due:
            return "receipt"
        if self.status == Status.ACCEPTED and self.direction == Direction.OUT and self.feedback_due and now >= self.feedback_due:
            return "feedback"
        return ""

    @property
    def overdue(self) -> str:
        return self.overdue_at()


class LeadDocument(models.Model):
    """A document sent with a lead (移送函, 证据清单, photos of papers), kept with the lead and put in its bundle."""

    lead = models.ForeignKey(Lead, verbose_name=_("case lead"), on_delete=models.CASCADE, related_name="documents")
    name = models.CharField(_("name"), max_length=200)
    file = models.FileField(_("file"), max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("lead document")
        verbose_name_plural = _("lead documents")
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.name


class LeadLog(StepLog):
    """A step on a case lead, with who, when and why (a refusal needs a reason)."""

    subject_field = "lead"

    lead = models.ForeignKey(Lead, verbose_name=_("case lead"), on_delete=models.CASCADE, related_name="logs")

    class Meta(StepLog.Meta):
        verbose_name = _("lead log entry")
        verbose_name_plural = _("lead log")

    def __str__(self):
        return f"{self.lead.number} {self.action}"


class LeadSequence(SequenceCounter):
    """Counters behind lead numbers (one per direction and year)."""


# --- data sharing (数据共享) ------------------------------------------------------------------------------------------


class ShareToken(models.Model):
    """A department's key to the shared datasets, for one purpose: only its hash is kept (the secret is shown once),
    limited to some datasets and to a region, expiring, revocable."""

    organization = models.ForeignKey("gbcp.Organization", verbose_name=_("department"), on_delete=models.PROTECT, related_name="share_tokens")
    purpose = models.CharField(_("purpose"), max_length=200)
    datasets = models.JSONField(_("datasets"), default=list)
    region_code = models.CharField(_("region code"), max_length=12, db_index=True,
                                   help_text=_("Only records whose region code starts with this are shared."))
    key_id = models.CharField(_("key id"), max_length=16, unique=True)
    secret_hash = models.CharField(_("secret hash"), max_length=64)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("revoked by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("issued by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("issued at"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["last_used_at"])

    class Meta:
        verbose_name = _("data-sharing token")
        verbose_name_plural = _("data-sharing tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.key_id} {self.organization}"

    def state_at(self, now=None) -> str:
        now = now or timezone.now()
        if self.revoked_at is not None:
            return "revoked"
        if now >= self.expires_at:
            return "expired"
        return "active"

    @property
    def state(self) -> str:
        return self.state_at()

    def get_state_display(self) -> str:
        return str(TOKEN_STATES[self.state])


TOKEN_STATES = {"active": _("active"), "expired": _("expired"), "revoked": _("revoked")}


class ShareAccess(models.Model):
    """访问日志: one read of shared data (or one refused attempt), written in the transaction that answers it."""

    class Outcome(models.TextChoices):
        ANSWERED = "answered", _("answered")
        REFUSED = "refused", _("refused")

    class Channel(models.TextChoices):
        API = "api", _("API (token)")
        CSV = "csv", _("CSV export (staff)")

    token = models.ForeignKey(ShareToken, verbose_name=_("token"), null=True, blank=True, on_delete=models.PROTECT, related_name="accesses")
    organization = models.ForeignKey("gbcp.Organization", verbose_name=_("department"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("staff user"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices, default=Channel.API)
    dataset = models.CharField(_("dataset"), max_length=32, blank=True, db_index=True)
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    query = models.JSONField(_("query"), default=dict, blank=True)
    region_code = models.CharField(_("region code"), max_length=12, blank=True, db_index=True)
    records = models.PositiveIntegerField(_("records"), default=0)
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome.choices, default=Outcome.ANSWERED, db_index=True)
    reason = models.CharField(_("reason"), max_length=32, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("shared-data access")
        verbose_name_plural = _("shared-data access log")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.dataset} {self.records}"


# --- joint operations (联合执法) ----------------------------------------------------------------------------------------


class OperationStatus(models.TextChoices):
    PLANNED = "planned", _("planned (已计划)")
    UNDER_WAY = "under_way", _("under way (进行中)")
    REPORTED = "reported", _("reported (已报告)")
    CLOSED = "closed", _("closed (已结束)")
    CANCELLED = "cancelled", _("cancelled (已取消)")


class JointOperation(models.Model):
    """联合执法: an operation led by one of our units with other departments, each bringing items of its duty list, in
    one area and time window; its participants check in on site, its findings become tasks or cases, and a report
    with the counts closes it. ``region_code`` (the area's region) sets the jurisdiction."""

    title = models.CharField(_("title"), max_length=200)
    purpose = models.TextField(_("purpose"))
    organization = models.ForeignKey("gbcp.Organization", verbose_name=_("lead unit"), on_delete=models.PROTECT, related_name="joint_operations")
    region = models.ForeignKey("gbcp.Region", verbose_name=_("area"), on_delete=models.PROTECT, related_name="+")
    region_code = models.CharField(_("region code"), max_length=12, db_index=True)
    area = models.PolygonField(_("area outline"), srid=4326, null=True, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    status = models.CharField(_("status"), max_length=16, choices=OperationStatus.choices, default=OperationStatus.PLANNED, db_index=True)
    participants = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("participants"), through="OperationParticipant",
                                          related_name="joint_operations")
    report = models.TextField(_("report"), blank=True)
    report_counts = models.JSONField(_("report counts"), default=dict, blank=True)
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("joint operation")
        verbose_name_plural = _("joint operations")
        ordering = ["-starts_at", "-id"]

    def __str__(self):
        return self.title

    def in_window(self, now=None) -> bool:
        now = now or timezone.now()
        return self.starts_at <= now <= self.ends_at


class OperationDepartment(models.Model):
    """A department taking part, with the items of its duty list (权责清单) it brings to the operation."""

    operation = models.ForeignKey(JointOperation, verbose_name=_("joint operation"), on_delete=models.CASCADE, related_name="departments")
    department = models.ForeignKey("gbcp.Organization", verbose_name=_("department"), on_delete=models.PROTECT, related_name="+")
    duties = models.ManyToManyField("gbcp.Category", verbose_name=_("duties brought"), related_name="+")

    class Meta:
        verbose_name = _("participating department")
        verbose_name_plural = _("participating departments")
        constraints = [models.UniqueConstraint(fields=["operation", "department"], name="coordination_operation_department_once")]

    def __str__(self):
        return str(self.department)


class OperationParticipant(models.Model):
    """A person taking part; checks in on site once, during the operation's window (签到)."""

    operation = models.ForeignKey(JointOperation, verbose_name=_("joint operation"), on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("participant"), on_delete=models.PROTECT, related_name="+")
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    check_in_point = models.PointField(_("check-in point"), srid=4326, null=True, blank=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [models.UniqueConstraint(fields=["operation", "user"], name="coordination_operation_participant_once")]

    def __str__(self):
        return str(self.user)


class OperationFinding(models.Model):
    """A finding of the operation, handed on as a dispatch task for the department whose duties hold its category, or as
    an enforcement case of ours."""

    class Outcome(models.TextChoices):
        TASK = "task", _("a dispatch task")
        CASE = "case", _("an enforcement case")

    operation = models.ForeignKey(JointOperation, verbose_name=_("joint operation"), on_delete=models.CASCADE, related_name="findings")
    outcome = models.CharField(_("became"), max_length=8, choices=Outcome.choices)
    category = models.ForeignKey("gbcp.Category", verbose_name=_("category"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey("gbcp.Organization", verbose_name=_("department"), on_delete=models.PROTECT, related_name="+")
    description = models.TextField(_("description"))
    point = models.PointField(_("point"), srid=4326, null=True, blank=True)
    task = models.ForeignKey("dispatch.Task", verbose_name=_("task"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    case = models.ForeignKey("cases.Case", verbose_name=_("case"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("operation finding")
        verbose_name_plural = _("operation findings")
        ordering = ["recorded_at", "id"]

    def __str__(self):
        return self.description[:40]


class OperationLog(StepLog):
    """A step on a joint operation, with who, when and why."""

    subject_field = "operation"

    operation = models.ForeignKey(JointOperation, verbose_name=_("joint operation"), on_delete=models.CASCADE, related_name="logs")

    class Meta(StepLog.Meta):
        verbose_name = _("operation log entry")
        verbose_name_plural = _("operation log")

    def __str__(self):
        return f"{self.operation_id} {self.action}"
