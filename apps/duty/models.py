"""Duty rosters (勤务排班): posts, a squad's roster per week, its shifts and who serves on each."""
import datetime as dt
import math

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.gis.geos import Polygon
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

CIRCLE_SIDES = 32


def circle_polygon(point, radius_m: float) -> Polygon:
    """A polygon of ``CIRCLE_SIDES`` corners around ``point`` (WGS-84) at ``radius_m`` metres; longitude scaled by the
    latitude, so the circle is round on the ground (good to a metre or so at city scale)."""
    lat_deg = radius_m / 111_320.0
    lon_deg = lat_deg / max(math.cos(math.radians(point.y)), 1e-6)
    ring = [(point.x + lon_deg * math.cos(2 * math.pi * i / CIRCLE_SIDES), point.y + lat_deg * math.sin(2 * math.pi * i / CIRCLE_SIDES))
            for i in range(CIRCLE_SIDES)]
    return Polygon(ring + [ring[0]], srid=4326)


class Post(models.Model):
    """A duty post (岗位): a grid, a drawn area, or a point with a radius, where an officer stands or patrols."""

    class Kind(models.TextChoices):
        GRID = "grid", _("grid")
        AREA = "area", _("area (polygon)")
        POINT = "point", _("point and radius")

    class Source(models.TextChoices):
        MANUAL = "manual", _("planned")
        PEAK = "peak", _("peak suggestion (高峰勤务)")

    squad = models.ForeignKey("gbcp.Organization", verbose_name=_("squad"), on_delete=models.PROTECT, related_name="duty_posts")
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    grid = models.ForeignKey("gbcp.Grid", verbose_name=_("grid"), null=True, blank=True, on_delete=models.PROTECT, related_name="duty_posts")
    area = models.PolygonField(_("area"), srid=4326, null=True, blank=True)
    point = models.PointField(_("point"), srid=4326, null=True, blank=True)
    radius_m = models.PositiveIntegerField(_("radius (m)"), null=True, blank=True)
    hours_start = models.TimeField(_("usual hours from"), null=True, blank=True)
    hours_end = models.TimeField(_("usual hours to"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices, default=Source.MANUAL)
    note = models.CharField(_("note"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("duty post")
        verbose_name_plural = _("duty posts")
        ordering = ["squad_id", "name", "pk"]

    def __str__(self):
        return self.name

    @property
    def region_code(self) -> str:
        return self.squad.region.code

    def geometry(self):
        """The post's area on the map (the geofence while an officer holds it)."""
        if self.kind == self.Kind.GRID and self.grid_id:
            return self.grid.boundary
        if self.kind == self.Kind.AREA and self.area is not None:
            return self.area
        if self.kind == self.Kind.POINT and self.point is not None and self.radius_m:
            return circle_polygon(self.point, self.radius_m)
        return None


class Roster(models.Model):
    """A squad's duty roster for one ISO week (Monday to Sunday): the shifts of the week."""

    squad = models.ForeignKey("gbcp.Organization", verbose_name=_("squad"), on_delete=models.PROTECT, related_name="duty_rosters")
    week_start = models.DateField(_("week from (Monday)"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("duty roster")
        verbose_name_plural = _("duty rosters")
        ordering = ["-week_start", "squad_id"]
        constraints = [models.UniqueConstraint(fields=["squad", "week_start"], name="duty_roster_one_per_week")]

    def __str__(self):
        return f"{self.squad} · {self.week_start:%Y-%m-%d}"

    @property
    def week_end(self) -> dt.date:
        return self.week_start + dt.timedelta(days=6)

    @property
    def region_code(self) -> str:
        return self.squad.region.code

    @property
    def organization_id(self):
        return self.squad_id


class Shift(models.Model):
    """A shift of a roster (班次) on one day, from a start to an end time; an end not after the start is the next day's
    (a night shift crosses midnight). ``starts_at``/``ends_at`` are the instants, kept for overlap and "on duty" reads."""

    class Kind(models.TextChoices):
        EARLY = "early", _("early shift (早班)")
        DAY = "day", _("day shift (中班)")
        NIGHT = "night", _("night shift (晚班)")
        PEAK = "peak", _("peak duty (高峰勤务)")

    roster = models.ForeignKey(Roster, verbose_name=_("roster"), on_delete=models.CASCADE, related_name="shifts")
    squad = models.ForeignKey("gbcp.Organization", verbose_name=_("squad"), on_delete=models.PROTECT, related_name="duty_shifts")
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("to"))
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.DAY)
    post = models.ForeignKey(Post, verbose_name=_("usual post"), null=True, blank=True, on_delete=models.PROTECT, related_name="shifts",
                             help_text=_("Where the officers added to the shift serve unless another post is given."))
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"), db_index=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["squad", "starts_at"], name="duty_shift_squad_start")]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.start_time:%H:%M}–{self.end_time:%H:%M} {self.get_kind_display()}"

    @property
    def crosses_midnight(self) -> bool:
        return self.end_time <= self.start_time

    @property
    def hours(self) -> float:
        return (self.ends_at - self.starts_at).total_seconds() / 3600

    @property
    def region_code(self) -> str:
        return self.squad.region.code

    @property
    def organization_id(self):
        return self.squad_id


class ShiftAssignment(models.Model):
    """An officer on a shift, optionally at a post (the officer's geofence while the shift runs)."""

    shift = models.ForeignKey(Shift, verbose_name=_("shift"), on_delete=models.CASCADE, related_name="assignments")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("officer"), on_delete=models.PROTECT, related_name="duty_assignments")
    post = models.ForeignKey(Post, verbose_name=_("post"), null=True, blank=True, on_delete=models.PROTECT, related_name="assignments")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("shift assignment")
        verbose_name_plural = _("shift assignments")
        ordering = ["shift_id", "pk"]
        constraints = [models.UniqueConstraint(fields=["shift", "officer"], name="duty_assignment_once_per_shift")]

    def __str__(self):
        return f"{self.officer} · {self.shift}"
