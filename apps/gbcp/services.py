"""Every write of GBCP data: places, entities, persons, city codes, regions, calendar."""
import datetime as dt

import chinese_calendar
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Point, Polygon
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.gbcp import citycode
from apps.gbcp.audit import acting_as
from apps.gbcp.errors import ApplicationError
from apps.gbcp.locate import locate
from apps.gbcp.validators import normalise_resident_id, normalise_uscc
from apps.gbcp.models import CalendarDay, CalendarSource, CalendarYear, Category, CityCodeSequence, Entity, Grid, Organization, Person, Place, Region


def _full_clean(instance, exclude=None):
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise ApplicationError(_("The data is not valid."), code="invalid", details=exc.message_dict) from exc


def city_code_issue(*, region_code: str, kind: str) -> str:
    """The next city code for a district and kind; never reused, never changed afterwards."""
    district = region_code[:6]
    letter = citycode.KINDS[kind]
    with transaction.atomic():
        seq, _created = CityCodeSequence.objects.select_for_update().get_or_create(region_code=district, kind=letter)
        seq.last += 1
        seq.save(update_fields=["last"])
    return citycode.build(district, kind, seq.last)


def _district_code(region: Region) -> str:
    code = region.code
    return code[:6]


@transaction.atomic
def place_create(*, user, name, kind, space, point: Point, address="", operator: Entity | None = None,
                 footprint: Polygon | None = None, region: Region | None = None) -> Place:
    """Create a place where its point falls; the region and grid come from the locate service."""
    with acting_as(user):
        location = locate(point)
        region = region or location.region
        if region is None:
            raise ApplicationError(_("The point lies outside every region of the city."), code="outside_city")
        place = Place(
            name=name, kind=kind, space=space, point=point, footprint=footprint, address=address,
            operator=operator, region=region, grid=location.grid, city_code="",
        )
        _full_clean(place, exclude=["city_code"])
        place.city_code = city_code_issue(region_code=_district_code(region), kind="place")
        place.save()
    return place


@transaction.atomic
def place_update(*, user, place: Place, **fields) -> Place:
    """Change a place; moving it re-locates region and grid but keeps its city code."""
    allowed = {"name", "kind", "space", "point", "footprint", "address", "operator", "is_active"}
    unknown = set(fields) - allowed
    if unknown:
        raise ApplicationError(_("These fields cannot be changed: %(fields)s") % {"fields": ", ".join(sorted(unknown))}, code="invalid_fields")
    with acting_as(user):
        for key, value in fields.items():
            setattr(place, key, value)
        if "point" in fields:
            location = locate(place.point)
            if location.region is None:
                raise ApplicationError(_("The point lies outside every region of the city."), code="outside_city")
            place.region = location.region
            place.grid = location.grid
        _full_clean(place)
        place.save()
    return place


@transaction.atomic
def entity_create(*, user, name, uscc, kind=Entity.Kind.ENTERPRISE, legal_representative="", contact_phone="",
                  address="", region: Region | None = None) -> Entity:
    with acting_as(user):
        entity = Entity(
            name=name, uscc=normalise_uscc(uscc), kind=kind, legal_representative=legal_representative,
            contact_phone=contact_phone, address=address, region=region,
        )
        _full_clean(entity, exclude=["city_code"])
        # The code's 3rd-8th characters are the registering authority's region code.
        entity.city_code = city_code_issue(region_code=(region.code if region else entity.uscc[2:8]), kind="entity")
        entity.save()
    return entity


@transaction.atomic
def entity_update(*, user, entity: Entity, **fields) -> Entity:
    """Change an entity's registered facts; its code and city code never change."""
    allowed = {"name", "kind", "legal_representative", "contact_phone", "address", "region"}
    unknown = set(fields) - allowed
    if unknown:
        raise ApplicationError(_("These fields cannot be changed: %(fields)s") % {"fields": ", ".join(sorted(unknown))}, code="invalid_fields")
    with acting_as(user):
        for key, value in fields.items():
            setattr(entity, key, value)
        _full_clean(entity)
        entity.save()
    return entity


@transaction.atomic
def person_create(*, user, name, id_number=None, phone="", address="") -> Person:
    with acting_as(user):
        person = Person(name=name, id_number=normalise_resident_id(id_number) or None, phone=phone, address=address)
        _full_clean(person)
        person.save()
    return person


def _as_multipolygon(geometry) -> MultiPolygon | None:
    if geometry is None:
        return None
    if isinstance(geometry, str):
        geometry = GEOSGeometry(geometry, srid=4326)
    if isinstance(geometry, Polygon):
        geometry = MultiPolygon(geometry, srid=geometry.srid or 4326)
    return geometry


@transaction.atomic
def region_upsert(*, user, code, name, level, parent: Region | None = None, boundary=None, geometry_generated=False) -> Region:
    """Create or update a region by its statistical code (idempotent for imports)."""
    if parent is not None and level != Region.Level.CITY and not code.startswith(parent.scope):
        raise ApplicationError(
            _("Region code %(code)s does not start with its parent's code %(parent)s.") % {"code": code, "parent": parent.scope},
            code="region_code_mismatch",
        )
    with acting_as(user):
        region, created = Region.objects.get_or_create(
            code=code, defaults={"name": name, "level": level, "parent": parent, "boundary": _as_multipolygon(boundary), "geometry_generated": geometry_generated}
        )
        if not created:
            changed = False
            for key, value in (("name", name), ("level", level), ("parent", parent), ("geometry_generated", geometry_generated)):
                if getattr(region, key) != value:
                    setattr(region, key, value)
                    changed = True
            boundary = _as_multipolygon(boundary)
            if boundary is not None and (region.boundary is None or not region.boundary.equals_exact(boundary, 1e-9)):
                region.boundary = boundary
                changed = True
            if changed:
                region.save()
    return region


@transaction.atomic
def grid_upsert(*, user, code, name, region: Region, boundary: Polygon, squad: Organization | None = None, geometry_generated=False) -> Grid:
    if not code.startswith(region.code):
        raise ApplicationError(_("Grid code %(code)s must start with its street's code.") % {"code": code}, code="grid_code_mismatch")
    with acting_as(user):
        grid, created = Grid.objects.get_or_create(
            code=code, defaults={"name": name, "region": region, "boundary": boundary, "squad": squad, "geometry_generated": geometry_generated}
        )
        if not created and (grid.name, grid.region_id, grid.squad_id) != (name, region.id, squad.id if squad else None):
            grid.name, grid.region, grid.squad = name, region, squad
            grid.boundary = boundary
            grid.save()
    return grid


@transaction.atomic
def organization_upsert(*, user, name, kind, level, region: Region, parent: Organization | None = None,
                        short_name="", duties=None) -> Organization:
    with acting_as(user):
        org, created = Organization.objects.get_or_create(
            name=name, region=region, defaults={"kind": kind, "level": level, "parent": parent, "short_name": short_name}
        )
        if not created and (org.kind, org.level, org.parent_id, org.short_name) != (kind, level, parent.id if parent else None, short_name):
            org.kind, org.level, org.parent, org.short_name = kind, level, parent, short_name
            org.save()
        if duties is not None:
            wanted = {c.pk for c in duties}
            if set(org.duties.values_list("pk", flat=True)) != wanted:
                org.duties.set(wanted)
    return org


@transaction.atomic
def category_upsert(*, user, code, name, kind, parent: Category | None = None, deadline_amount=None, deadline_unit="",
                    handler_kinds=(), name_en="", is_public=True, keywords=()) -> Category:
    values = {
        "name": name, "kind": kind, "parent": parent, "deadline_amount": deadline_amount, "deadline_unit": deadline_unit,
        "handler_kinds": list(handler_kinds), "name_en": name_en, "is_public": is_public, "keywords": list(keywords),
    }
    with acting_as(user):
        category, created = Category.objects.get_or_create(code=code, defaults=values)
        if not created:
            dirty = False
            for key, value in values.items():
                current = getattr(category, key)
                if key == "deadline_amount" and current is not None and value is not None:
                    same = float(current) == float(value)
                else:
                    same = current == value
                if not same:
                    setattr(category, key, value)
                    dirty = True
            if dirty:
                category.save()
    return category


@transaction.atomic
def calendar_day_set(*, user, date, is_workday: bool, note="", source=CalendarSource.MANUAL) -> CalendarDay:
    """Enter or change one day; a day entered by hand is kept by later loads of the official schedule."""
    with acting_as(user):
        day, created = CalendarDay.objects.get_or_create(date=date, defaults={"is_workday": is_workday, "note": note, "source": source})
        if not created and (day.is_workday, day.note, day.source) != (is_workday, note, source):
            day.is_workday, day.note, day.source = is_workday, note, source
            day.save()
    return day


def _official_schedule():
    """{year: {date: (is_workday, note)}} of the days the package's schedules set apart from the weekday rule."""
    names = {holiday.value: holiday.chinese for holiday in chinese_calendar.Holiday}
    years = {}
    for day, name in chinese_calendar.holidays.items():
        if day.weekday() < 5:  # a holiday on a weekend changes nothing
            years.setdefault(day.year, {})[day] = (False, names.get(name, name))
    for day, name in chinese_calendar.workdays.items():
        if day.weekday() >= 5:  # a make-up workday (调休上班) on a weekend
            years.setdefault(day.year, {})[day] = (True, f"{names.get(name, name)}调休上班")
    first, last = min(chinese_calendar.holidays).year, max(chinese_calendar.holidays).year
    return {year: years.get(year, {}) for year in range(first, last + 1)}


def calendar_load_official(*, user, progress=None) -> dict:
    """Load every year the ``chinesecalendar`` package covers and mark those years published.

    Days entered by hand (``manual``) are kept; official days that the package no longer lists (a
    corrected schedule) are removed. Idempotent: a second load changes nothing.
    """
    counts = {"years": 0, "created": 0, "changed": 0, "removed": 0, "kept_manual": 0}
    for year, days in sorted(_official_schedule().items()):
        with transaction.atomic(), acting_as(user):
            existing = {d.date: d for d in CalendarDay.objects.filter(date__year=year)}
            for date, (is_workday, note) in sorted(days.items()):
                day = existing.get(date)
                if day is not None and day.source == CalendarSource.MANUAL:
                    counts["kept_manual"] += 1
                    continue
                if day is None:
                    CalendarDay.objects.create(date=date, is_workday=is_workday, note=note, source=CalendarSource.OFFICIAL)
                    counts["created"] += 1
                elif (day.is_workday, day.note) != (is_workday, note):
                    day.is_workday, day.note = is_workday, note
                    day.save()
                    counts["changed"] += 1
            for date, day in existing.items():
                if date not in days and day.source == CalendarSource.OFFICIAL:
                    day.delete()
                    counts["removed"] += 1
            calendar_year_set(user=user, year=year, status=CalendarYear.Status.PUBLISHED, source=CalendarSource.OFFICIAL,
                              note="chinesecalendar " + getattr(chinese_calendar, "__version__", ""))
        counts["years"] += 1
        if progress:
            progress(year, len(days))
    return counts


@transaction.atomic
def calendar_year_set(*, user, year: int, status: str, source=CalendarSource.MANUAL, note="") -> CalendarYear:
    """Say whether a year's schedule is published (the official load marks each year it covers)."""
    with acting_as(user):
        entry, created = CalendarYear.objects.get_or_create(year=year, defaults={"status": status, "source": source, "note": note})
        if not created and (entry.status, entry.source, entry.note) != (status, source, note):
            entry.status, entry.source, entry.note = status, source, note
            entry.save()
    return entry
