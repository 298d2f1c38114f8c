"""Devices, their raw positions and noise readings, their latest state, shifts and alarms."""
from django.conf import settings
from django.contrib.gis.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Device(models.Model):
    """A registered device with a city code, what it is assigned to and a hashed secret token."""

    class Kind(models.TextChoices):
        OFFICER_GPS = "officer_gps", _("officer handheld GPS")
        VEHICLE_GPS = "vehicle_gps", _("vehicle GPS")
        NOISE_SENSOR = "noise_sensor", _("noise sensor")
        CAMERA = "camera", _("camera")

    class NoiseZone(models.TextChoices):
        # GB 12523-2011 applies at the boundary of a construction site; the
        # acoustic zones of GB 3096-2008 give the limits everywhere else.
        CONSTRUCTION = "construction", _("construction site boundary (GB 12523)")
        ZONE_0 = "0", _("acoustic zone 0 (GB 3096)")
        ZONE_1 = "1", _("acoustic zone 1 (GB 3096)")
        ZONE_2 = "2", _("acoustic zone 2 (GB 3096)")
        ZONE_3 = "3", _("acoustic zone 3 (GB 3096)")
        ZONE_4A = "4a", _("acoustic zone 4a (GB 3096)")
        ZONE_4B = "4b", _("acoustic zone 4b (GB 3096)")

    code = models.CharField(_("city code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=128)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, db_index=True)
    # The region decides who sees the device (jurisdiction prefix match).
    region = models.ForeignKey("gbcp.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="devices")
    organization = models.ForeignKey(
        "gbcp.Organization", verbose_name=_("organisation"), null=True, blank=True, on_delete=models.SET_NULL, related_name="devices"
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("officer"), null=True, blank=True, on_delete=models.SET_NULL, related_name="devices"
    )
    vehicle_plate = models.CharField(_("vehicle plate"), max_length=16, blank=True)
    place = models.ForeignKey("gbcp.Place", verbose_name=_("place"), null=True, blank=True, on_delete=models.SET_NULL, related_name="devices")
    grid = models.ForeignKey(
        "gbcp.Grid", verbose_name=_("assigned grid"), null=True, blank=True, on_delete=models.SET_NULL, related_name="devices"
    )
    noise_zone = models.CharField(_("noise limits"), max_length=16, choices=NoiseZone.choices, blank=True)
    limit_day_db = models.FloatField(_("day limit dB(A)"), null=True, blank=True, help_text=_("Overrides the zone's day limit."))
    limit_night_db = models.FloatField(_("night limit dB(A)"), null=True, blank=True, help_text=_("Overrides the zone's night limit."))
    report_interval_s = models.PositiveIntegerField(_("report interval (s)"), default=60)
    offline_after_s = models.PositiveIntegerField(
        _("offline after (s)"), default=300, help_text=_("A device silent for longer than this raises an offline alarm.")
    )
    token_hash = models.CharField(_("token hash"), max_length=64, editable=False)
    token_rotated_at = models.DateTimeField(_("token issued at"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("token revoked at"), null=True, blank=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["token_hash"])

    class Meta:
        verbose_name = _("device")
        verbose_name_plural = _("devices")
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})"

    @property
    def is_gps(self):
        return self.kind in {self.Kind.OFFICER_GPS, self.Kind.VEHICLE_GPS}

    @property
    def is_revoked(self):
        return self.revoked_at is not None


class Position(models.Model):
    """One raw GPS fix. Plain floats, no geometry: the table is written at volume and read by device and time."""

    id = models.BigAutoField(primary_key=True)
    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="positions", db_index=False)
    recorded_at = models.DateTimeField(_("recorded at"))
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    speed_kmh = models.FloatField(_("speed (km/h)"), null=True, blank=True)
    bearing = models.FloatField(_("bearing"), null=True, blank=True)
    altitude = models.FloatField(_("altitude (m)"), null=True, blank=True)
    accuracy = models.FloatField(_("accuracy (m)"), null=True, blank=True)
    battery = models.FloatField(_("battery (%)"), null=True, blank=True)
    hdop = models.FloatField(_("HDOP"), null=True, blank=True, help_text=_("Horizontal dilution of precision as the receiver reported it (no unit)."))
    charging = models.BooleanField(_("charging"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"))

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        # One index serves idempotency, "latest of a device" (backwards scan) and
        # "track of a device in a time range"; on PostgreSQL a BRIN index on
        # recorded_at (migration 0002) serves retention pruning.
        constraints = [models.UniqueConstraint(fields=["device", "recorded_at"], name="position_device_time")]


class NoiseReading(models.Model):
    """LAeq and Lmax over one interval ending at ``recorded_at``."""

    id = models.BigAutoField(primary_key=True)
    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="noise_readings", db_index=False)
    recorded_at = models.DateTimeField(_("interval end"))
    interval_s = models.PositiveIntegerField(_("interval (s)"))
    laeq = models.FloatField("LAeq dB(A)")
    lmax = models.FloatField("Lmax dB(A)", null=True, blank=True)
    received_at = models.DateTimeField(_("received at"))

    class Meta:
        verbose_name = _("noise reading")
        verbose_name_plural = _("noise readings")
        constraints = [models.UniqueConstraint(fields=["device", "recorded_at"], name="noise_device_time")]


class DeviceStatus(models.Model):
    """The latest state of a device, one row each, so the live map reads one small table.

    Also the memory of the alarm rules (since when a sensor has been over its
    limit, since when an officer has been outside the grid).
    """

    device = models.OneToOneField(Device, on_delete=models.CASCADE, primary_key=True, related_name="status")
    last_seen_at = models.DateTimeField(_("last seen"), null=True, blank=True, db_index=True)
    position_at = models.DateTimeField(_("position time"), null=True, blank=True)
    point = models.PointField(_("position"), srid=4326, null=True, blank=True)
    speed_kmh = models.FloatField(null=True, blank=True)
    bearing = models.FloatField(null=True, blank=True)
    battery = models.FloatField(null=True, blank=True)
    outside_grid_since = models.DateTimeField(null=True, blank=True)
    noise_at = models.DateTimeField(_("last reading"), null=True, blank=True)
    laeq = models.FloatField(null=True, blank=True)
    lmax = models.FloatField(null=True, blank=True)
    window_leq = models.FloatField(_("window LAeq"), null=True, blank=True)
    noise_over_since = models.DateTimeField(null=True, blank=True)
    noise_under_since = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("device status")
        verbose_name_plural = _("device status")


class Shift(models.Model):
    """An officer's device on duty in a grid for a time; outside the grid during it raises a geofence alarm."""

    device = models.ForeignKey(Device, verbose_name=_("device"), on_delete=models.CASCADE, related_name="shifts")
    grid = models.ForeignKey("gbcp.Grid", verbose_name=_("grid"), on_delete=models.PROTECT, related_name="shifts")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["device", "starts_at", "ends_at"], name="shift_device_time")]

    def __str__(self):
        return f"{self.device} · {self.grid} · {self.starts_at:%Y-%m-%d %H:%M}"


ACTIVE_STATES = ("raised", "acknowledged")


class Alarm(models.Model):
    """An episode of a device: raised → acknowledged → cleared, one active per device and kind."""

    class Kind(models.TextChoices):
        NOISE = "noise", _("noise over the limit")
        OFFLINE = "offline", _("device offline")
        GEOFENCE = "geofence", _("outside the assigned grid")
        LOW_BATTERY = "low_battery", _("low battery")

    class State(models.TextChoices):
        RAISED = "raised", _("raised")
        ACKNOWLEDGED = "acknowledged", _("acknowledged")
        CLEARED = "cleared", _("cleared")

    class Severity(models.IntegerChoices):
        LOW = 1, _("low")
        MEDIUM = 2, _("medium")
        HIGH = 3, _("high")

    device = models.ForeignKey(Device, verbose_name=_("device"), on_delete=models.PROTECT, related_name="alarms")
    region = models.ForeignKey("gbcp.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="alarms")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.RAISED, db_index=True)
    severity = models.PositiveSmallIntegerField(_("severity"), choices=Severity.choices, default=Severity.MEDIUM)
    message = models.CharField(_("message"), max_length=255)
    details = models.JSONField(_("details"), default=dict, blank=True)
    point = models.PointField(_("location"), srid=4326, null=True, blank=True)
    started_at = models.DateTimeField(_("episode started"))
    raised_at = models.DateTimeField(_("raised at"))
    last_seen_at = models.DateTimeField(_("last confirmed"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("acknowledged by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cleared_at = models.DateTimeField(_("cleared at"), null=True, blank=True)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("cleared by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    clear_reason = models.CharField(_("clear reason"), max_length=255, blank=True)
    # A plain id, not a foreign key: devices must migrate without the dispatch app.
    task_id = models.BigIntegerField(_("dispatch task"), null=True, blank=True, db_index=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("alarm")
        verbose_name_plural = _("alarms")
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["device", "kind"], condition=Q(state__in=ACTIVE_STATES), name="alarm_one_active_per_device_kind")
        ]
        indexes = [models.Index(fields=["state", "-raised_at"], name="alarm_state_raised")]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.device.code} · {self.get_state_display()}"

    @property
    def is_active(self):
        return self.state in ACTIVE_STATES
