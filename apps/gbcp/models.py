"""The GBCP model: government, business, citizens and places on one map."""
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.gbcp import workcalendar
from apps.gbcp.validators import validate_phone, validate_resident_id, validate_uscc


class Region(models.Model):
    """行政区划: city → district → street (街道/乡镇) → community (社区)."""

    class Level(models.IntegerChoices):
        CITY = 1, _("city")
        DISTRICT = 2, _("district")
        STREET = 3, _("street")
        COMMUNITY = 4, _("community")

    # Statistical code at its own length: 6 digits for a city or district,
    # 9 for a street, 12 for a community. For the city the scope prefix is
    # shorter ("1101") so that every child's code starts with it.
    code = models.CharField(_("statistical code"), max_length=12, unique=True)
    scope = models.CharField(_("scope prefix"), max_length=12, db_index=True, editable=False)
    name = models.CharField(_("name"), max_length=64)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices, db_index=True)
    parent = models.ForeignKey("self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    boundary = models.MultiPolygonField(_("boundary"), srid=4326, null=True, blank=True)
    geometry_generated = models.BooleanField(
        _("geometry generated"), default=False, help_text=_("The boundary was drawn by the demo generator, not surveyed.")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})"

    def save(self, *args, **kwargs):
        self.scope = scope_of(self.code, self.level)
        super().save(*args, **kwargs)


def scope_of(code: str, level: int) -> str:
    if level == Region.Level.CITY:
        return code[:4]
    return code


class Category(models.Model):
    """事件/部件 classification tree with its default deadline."""

    class Kind(models.TextChoices):
        EVENT = "event", _("event (事件)")
        COMPONENT = "component", _("component (部件)")

    class DeadlineUnit(models.TextChoices):
        EMERGENCY_HOURS = workcalendar.EMERGENCY_HOURS, _("emergency hours")
        WORKING_HOURS = workcalendar.WORKING_HOURS, _("working hours")
        WORKING_DAYS = workcalendar.WORKING_DAYS, _("working days")

    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=64)
    name_en = models.CharField(_("English name"), max_length=128, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    parent = models.ForeignKey("self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    deadline_amount = models.DecimalField(_("default deadline"), max_digits=6, decimal_places=1, null=True, blank=True)
    deadline_unit = models.CharField(_("deadline unit"), max_length=16, choices=DeadlineUnit.choices, blank=True)
    handler_kinds = models.JSONField(_("handling organisation kinds"), default=list, blank=True)
    keywords = models.JSONField(_("keywords"), default=list, blank=True, help_text=_("Words citizens use for it; the cold start of classification."))
    is_public = models.BooleanField(_("open to public reports"), default=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def is_leaf(self):
        return self.deadline_unit != ""

    def deadline_from(self, start, calendar=None):
        if not self.deadline_unit or self.deadline_amount is None:
            return None
        return workcalendar.add_deadline(start, self.deadline_amount, self.deadline_unit, calendar=calendar)


class Organization(models.Model):
    """G: departments and teams, each responsible for a region, with a duty list (权责清单)."""

    class Kind(models.TextChoices):
        BUREAU = "bureau", _("enforcement bureau")
        ENFORCEMENT_TEAM = "enforcement_team", _("enforcement team")
        STREET_OFFICE = "street_office", _("street office")
        FUNCTIONAL_DEPARTMENT = "functional_department", _("functional department")
        HOTLINE_CENTRE = "hotline_centre", _("hotline centre")

    class Level(models.IntegerChoices):
        CITY = 1, _("city")
        DISTRICT = 2, _("district")
        STREET = 3, _("street")

    name = models.CharField(_("name"), max_length=128)
    short_name = models.CharField(_("short name"), max_length=64, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices, db_index=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    parent = models.ForeignKey("self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="organizations")
    duties = models.ManyToManyField(Category, verbose_name=_("duty list"), blank=True, related_name="organizations")
    phone = models.CharField(_("phone"), max_length=32, blank=True, validators=[validate_phone])
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords(m2m_fields=[duties])

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["region__code", "level", "name"]
        constraints = [models.UniqueConstraint(fields=["name", "region"], name="organization_unique_name_in_region")]

    def __str__(self):
        return self.name


class Grid(models.Model):
    """执法责任网格: a polygon inside a street with its responsible squad."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=64)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="grids")
    squad = models.ForeignKey(Organization, verbose_name=_("responsible squad"), null=True, blank=True, on_delete=models.SET_NULL, related_name="grids")
    boundary = models.PolygonField(_("boundary"), srid=4326)
    geometry_generated = models.BooleanField(_("geometry generated"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("grid")
        verbose_name_plural = _("grids")
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})"


class Entity(models.Model):
    """B: enterprises, individual businesses and institutions."""

    class Kind(models.TextChoices):
        ENTERPRISE = "enterprise", _("enterprise")
        INDIVIDUAL_BUSINESS = "individual_business", _("individual business")
        INSTITUTION = "institution", _("institution")
        SOCIAL_ORGANISATION = "social_organisation", _("social organisation")

    name = models.CharField(_("name"), max_length=128, db_index=True)
    uscc = models.CharField(_("unified social credit code"), max_length=18, unique=True, validators=[validate_uscc])
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices, default=Kind.ENTERPRISE)
    legal_representative = models.CharField(_("legal representative"), max_length=64, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True, validators=[validate_phone])
    address = models.CharField(_("registered address"), max_length=255, blank=True)
    region = models.ForeignKey(Region, verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT, related_name="entities")
    city_code = models.CharField(_("city code"), max_length=16, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("entity")
        verbose_name_plural = _("entities")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Person(models.Model):
    """C: citizens, parties and complainants; shown masked."""

    name = models.CharField(_("name"), max_length=64)
    id_number = models.CharField(_("resident ID number"), max_length=18, unique=True, null=True, blank=True, validators=[validate_resident_id])
    phone = models.CharField(_("phone"), max_length=32, blank=True, validators=[validate_phone], db_index=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Place(models.Model):
    """P: premises and facilities in one of the three spaces, on the map."""

    class Kind(models.TextChoices):
        RESTAURANT = "restaurant", _("restaurant")
        SHOP = "shop", _("shop")
        MARKET = "market", _("market")
        CONSTRUCTION_SITE = "construction_site", _("construction site")
        BUILDING = "building", _("building")
        PARK = "park", _("park")
        STREET_SEGMENT = "street_segment", _("street segment")
        MANHOLE = "manhole", _("manhole cover")
        STREET_LAMP = "street_lamp", _("street lamp")
        BILLBOARD = "billboard", _("outdoor advertisement")
        WASTE_STATION = "waste_station", _("waste collection point")
        PARKING = "parking", _("parking lot")

    class Space(models.TextChoices):
        PUBLIC = "public", _("public space (公共空间)")
        PRODUCTION = "production", _("production space (社会生产空间)")
        COMMUNITY = "community", _("community living space (社区生活空间)")

    name = models.CharField(_("name"), max_length=128, db_index=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices, db_index=True)
    space = models.CharField(_("space"), max_length=16, choices=Space.choices)
    point = models.PointField(_("location"), srid=4326, spatial_index=True)
    footprint = models.PolygonField(_("footprint"), srid=4326, null=True, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="places")
    grid = models.ForeignKey(Grid, verbose_name=_("grid"), null=True, blank=True, on_delete=models.SET_NULL, related_name="places")
    operator = models.ForeignKey(Entity, verbose_name=_("operator"), null=True, blank=True, on_delete=models.SET_NULL, related_name="places")
    city_code = models.CharField(_("city code"), max_length=16, unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["id"]

    def __str__(self):
        return f"{self.name} ({self.city_code})"


class CalendarSource(models.TextChoices):
    OFFICIAL = "official", _("official schedule (chinesecalendar package)")
    MANUAL = "manual", _("entered by hand")


class CalendarDay(models.Model):
    """A day that differs from the Monday–Friday rule: a holiday or a make-up workday (调休).

    Days loaded from the official schedule are ``official``; a day edited in the admin becomes ``manual``
    and is never overwritten by the next load.
    """

    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(_("is a workday"))
    note = models.CharField(_("note"), max_length=64, blank=True)
    source = models.CharField(_("source"), max_length=16, choices=CalendarSource.choices, default=CalendarSource.MANUAL)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("work calendar")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {'workday' if self.is_workday else 'holiday'} {self.note}"


class CalendarYear(models.Model):
    """Whether a year's holiday schedule (国务院办公厅关于…年部分节假日安排的通知) is known.

    A deadline reaching into a year that is not ``published`` is provisional: counted by the weekday rule
    and whatever days were entered, and shown as uncertain.
    """

    class Status(models.TextChoices):
        PUBLISHED = "published", _("published")
        PROVISIONAL = "provisional", _("provisional (before the official notice)")

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PROVISIONAL)
    source = models.CharField(_("source"), max_length=16, choices=CalendarSource.choices, default=CalendarSource.MANUAL)
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["year"]

    def __str__(self):
        return f"{self.year} {self.get_status_display()}"


class CityCodeSequence(models.Model):
    """The last sequence number handed out per district and kind of city code."""

    region_code = models.CharField(_("district code"), max_length=6)
    kind = models.CharField(_("kind letter"), max_length=1)
    last = models.PositiveIntegerField(_("last number issued"), default=0)

    class Meta:
        verbose_name = _("city code counter")
        verbose_name_plural = _("city code counters")
        constraints = [models.UniqueConstraint(fields=["region_code", "kind"], name="citycode_sequence_unique")]


# The privacy records (access log, retention runs) live in their own module; imported here so Django finds them.
from apps.gbcp.privacy.models import AccessLogEntry, RetentionRun  # noqa: E402,F401
