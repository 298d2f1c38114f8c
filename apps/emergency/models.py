"""Models of emergency (应急调度): pre-plans (预案) with steps, CAP 1.2 warnings, incidents and their timeline."""
from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _


class EventType(models.TextChoices):
    RAINSTORM = "rainstorm", _("rainstorm (暴雨)")
    SNOWSTORM = "snowstorm", _("snowstorm (暴雪)")
    GALE = "gale", _("gale (大风)")
    HEAT = "heat", _("heat (高温)")
    MAJOR_EVENT = "major_event", _("major event (重大活动)")


class PrePlan(models.Model):
    """预案: what the squads of a jurisdiction do when an event of one type comes; a new edit is a new version."""

    event_type = models.CharField(_("event type"), max_length=16, choices=EventType.choices, db_index=True)
    region = models.ForeignKey("gbcp.Region", verbose_name=_("jurisdiction"), on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(_("version"), default=1)
    title = models.CharField(_("title"), max_length=128)
    summary = models.TextField(_("summary"), blank=True)
    is_current = models.BooleanField(_("current version"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("pre-plan")
        verbose_name_plural = _("pre-plans")
        ordering = ["region__code", "event_type", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["region", "event_type", "version"], name="emergency_preplan_version_unique"),
            models.UniqueConstraint(fields=["region", "event_type"], condition=models.Q(is_current=True),
                                    name="emergency_preplan_one_current"),
        ]

    def __str__(self):
        return f"{self.title} v{self.version}"


class PrePlanStep(models.Model):
    """One step of a pre-plan: which squad does what, where, with which resources, for how long, as which task."""

    plan = models.ForeignKey(PrePlan, verbose_name=_("pre-plan"), on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    squad = models.ForeignKey("gbcp.Organization", verbose_name=_("squad"), on_delete=models.PROTECT, related_name="+")
    action = models.CharField(_("action"), max_length=255)
    area_region = models.ForeignKey("gbcp.Region", verbose_name=_("area (region)"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    area_grid = models.ForeignKey("gbcp.Grid", verbose_name=_("area (grid)"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    area = models.PolygonField(_("area (polygon)"), srid=4326, null=True, blank=True)
    point = models.PointField(_("point"), srid=4326, null=True, blank=True,
                              help_text=_("Where the squad stands; a step with a point, grid or polygon becomes a duty post when activated."))
    resources = models.CharField(_("resources"), max_length=255, blank=True)
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), default=120)
    category = models.ForeignKey("gbcp.Category", verbose_name=_("task category"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("pre-plan step")
        verbose_name_plural = _("pre-plan steps")
        ordering = ["plan", "order", "pk"]

    def __str__(self):
        return f"{self.order}. {self.action}"

    @property
    def duration_hours(self) -> float:
        return self.duration_minutes / 60


class Alert(models.Model):
    """A CAP 1.2 warning received from a feed or by hand; one per (sender, identifier)."""

    class Source(models.TextChoices):
        FEED = "feed", _("feed")
        UPLOAD = "upload", _("uploaded by hand")

    sender = models.CharField(_("sender"), max_length=255)
    identifier = models.CharField(_("identifier"), max_length=255)
    sent = models.DateTimeField(_("sent"))
    status = models.CharField(_("status"), max_length=16)
    msg_type = models.CharField(_("message type"), max_length=16)
    scope = models.CharField(_("scope"), max_length=16)
    references = models.JSONField(_("references"), default=list, blank=True)
    event = models.CharField(_("event"), max_length=255, blank=True)
    event_type = models.CharField(_("event type"), max_length=16, choices=EventType.choices, blank=True)
    urgency = models.CharField(_("urgency"), max_length=16, blank=True)
    severity = models.CharField(_("severity"), max_length=16, blank=True)
    certainty = models.CharField(_("certainty"), max_length=16, blank=True)
    headline = models.CharField(_("headline"), max_length=255, blank=True)
    description = models.TextField(_("description"), blank=True)
    expires = models.DateTimeField(_("expires"), null=True, blank=True)
    area_description = models.TextField(_("area"), blank=True)
    area = models.MultiPolygonField(_("area geometry"), srid=4326, null=True, blank=True)
    geocodes = models.JSONField(_("area codes"), default=list, blank=True)
    regions = models.ManyToManyField("gbcp.Region", verbose_name=_("matched regions"), blank=True, related_name="+")
    is_cancelled = models.BooleanField(_("cancelled"), default=False)
    superseded_by = models.ForeignKey("self", verbose_name=_("superseded by"), null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="supersedes")
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    xml = models.TextField(_("CAP document"))
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        verbose_name = _("warning")
        verbose_name_plural = _("warnings")
        ordering = ["-sent", "-pk"]
        constraints = [models.UniqueConstraint(fields=["sender", "identifier"], name="emergency_alert_unique")]

    def __str__(self):
        return self.headline or self.event or self.identifier


class Incident(models.Model):
    """An activated pre-plan: the emergency being handled, from one key press to the closing report."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        CLOSED = "closed", _("closed")

    plan = models.ForeignKey(PrePlan, verbose_name=_("pre-plan"), on_delete=models.PROTECT, related_name="incidents")
    alert = models.ForeignKey(Alert, verbose_name=_("warning"), null=True, blank=True, on_delete=models.PROTECT,
                              related_name="incidents")
    region = models.ForeignKey("gbcp.Region", verbose_name=_("affected region"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=255)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.ACTIVE, db_index=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("opened by"), on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    report = models.TextField(_("closing report"), blank=True)

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-opened_at", "-pk"]

    def __str__(self):
        return self.title


class IncidentEntry(models.Model):
    """One line of an incident's timeline: what happened, who did it, when."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("opened")
        NOTIFIED = "notified", _("squad notified")
        TASK = "task", _("task created")
        DUTY = "duty", _("duty post assigned")
        SMS = "sms", _("text message sent")
        UNITS = "units", _("nearest units found")
        NOTE = "note", _("note")
        CLOSED = "closed", _("closed")

    incident = models.ForeignKey(Incident, verbose_name=_("incident"), on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    text = models.CharField(_("text"), max_length=500)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")
        ordering = ["at", "pk"]

    def __str__(self):
        return self.text
