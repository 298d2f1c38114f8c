"""Reads of GBCP data that depend on who asks; outside the jurisdiction looks like not there."""
from django.contrib.gis.db.models.functions import AsGeoJSON, GeomOutputGeoFunc
from django.contrib.gis.geos import Polygon
from django.db.models import F, FloatField, Value
from django.db.models.functions import Coalesce

from apps.gbcp.jurisdiction import covers_code, scope_queryset
from apps.gbcp.errors import NotFound
from apps.gbcp.locate import Location, locate
from apps.gbcp.models import Category, Entity, Grid, Place, Region


def bbox_polygon(bbox) -> Polygon:
    """(west, south, east, north) in WGS-84 as a polygon."""
    west, south, east, north = bbox
    polygon = Polygon.from_bbox((west, south, east, north))
    polygon.srid = 4326
    return polygon


def _merchant_entity_id(user):
    """The business of a signed-in merchant who is not staff (staff see by jurisdiction instead), else None."""
    if user is None or not user.is_authenticated or user.is_superuser or user.is_staff_member():
        return None
    return user.entity_id


def place_list_for_user(*, user, bbox=None, kind=None, region_code=None, city_code=None, q=None):
    """Staff: the places of their jurisdiction; a merchant: the places its business operates; a citizen: none."""
    entity_id = _merchant_entity_id(user)
    qs = Place.objects.filter(operator_id=entity_id) if entity_id else scope_queryset(Place.objects.all(), user)
    qs = qs.select_related("region", "grid", "operator").defer("region__boundary", "grid__boundary")  # outlines: not read here
    if bbox is not None:
        qs = qs.filter(point__intersects=bbox_polygon(bbox))
    if kind:
        qs = qs.filter(kind__in=kind if isinstance(kind, (list, tuple)) else [kind])
    if region_code:
        qs = qs.filter(region__code__startswith=region_code)
    if city_code:
        qs = qs.filter(city_code=city_code.strip().upper())
    if q:
        qs = qs.filter(name__icontains=q)
    return qs.order_by("id")


def place_get_for_user(*, user, id) -> Place:
    place = place_list_for_user(user=user).filter(pk=id).first()
    if place is None:
        raise NotFound()
    return place


def place_get_by_city_code_for_user(*, user, code: str) -> Place:
    place = place_list_for_user(user=user, city_code=code).first()
    if place is None:
        raise NotFound()
    return place


def region_list_for_user(*, user, level=None, bbox=None, parent_code=None):
    qs = scope_queryset(Region.objects.all(), user, field="code")
    if level:
        qs = qs.filter(level=level)
    if parent_code:
        qs = qs.filter(parent__code=parent_code)
    if bbox is not None:
        qs = qs.filter(boundary__intersects=bbox_polygon(bbox))
    return qs.select_related("parent").order_by("code")


class Simplify(GeomOutputGeoFunc):
    """ST_Simplify (PostGIS) / Simplify (SpatiaLite): Douglas-Peucker in the database; NULL when it collapses."""

    arity = 2


class SimplifyPreserveTopology(GeomOutputGeoFunc):
    """ST_SimplifyPreserveTopology / SimplifyPreserveTopology: never collapses, about five times slower."""

    arity = 2


class Multi(GeomOutputGeoFunc):
    """ST_Multi: a MultiPolygon stays one when simplifying leaves a single part (SpatiaLite would hand a Polygon)."""

    function = "ST_Multi"
    arity = 1


def simplified(field, tolerance):
    """``field`` simplified in the database: Douglas-Peucker, and the topology-preserving variant only for the
    outlines smaller than the tolerance, which Douglas-Peucker would drop (COALESCE evaluates it only then)."""
    tolerance = Value(float(tolerance), output_field=FloatField())
    return Multi(Coalesce(Simplify(field, tolerance), SimplifyPreserveTopology(field, tolerance)))


def region_outlines_for_user(*, user, level=None, bbox=None, parent_code=None, tolerance=0.0, precision=6):
    """The regions of ``region_list_for_user`` as map rows: code, name, level, parent_code, geometry_generated and
    ``outline``, the boundary as GeoJSON text made by the database, simplified there by ``tolerance`` degrees
    (0 keeps every vertex) with ``precision`` decimals (6: about 0.1 m). No geometry is read into Python."""
    boundary = simplified("boundary", tolerance) if tolerance else "boundary"
    return (
        region_list_for_user(user=user, level=level, bbox=bbox, parent_code=parent_code)
        .select_related(None)
        .values("code", "name", "level", "geometry_generated", parent_code=F("parent__code"), outline=AsGeoJSON(boundary, precision=precision))
    )


def region_get_for_user(*, user, code) -> Region:
    region = region_list_for_user(user=user).filter(code=code).first()
    if region is None:
        raise NotFound()
    return region


def grid_list_for_user(*, user, bbox=None, region_code=None):
    qs = scope_queryset(Grid.objects.all(), user).select_related("region", "squad").defer("region__boundary")
    if bbox is not None:
        qs = qs.filter(boundary__intersects=bbox_polygon(bbox))
    if region_code:
        qs = qs.filter(region__code__startswith=region_code)
    return qs.order_by("code")


def entity_list_for_user(*, user, q=None, uscc=None):
    """Staff: the businesses of their jurisdiction; a merchant: its own; a citizen: none."""
    entity_id = _merchant_entity_id(user)
    qs = Entity.objects.filter(pk=entity_id) if entity_id else scope_queryset(Entity.objects.all(), user)
    qs = qs.select_related("region").defer("region__boundary")
    if q:
        qs = qs.filter(name__icontains=q)
    if uscc:
        qs = qs.filter(uscc=uscc.strip().upper())
    return qs.order_by("name", "id")


def entity_get_for_user(*, user, id) -> Entity:
    entity = entity_list_for_user(user=user).filter(pk=id).first()
    if entity is None:
        raise NotFound()
    return entity


def category_list(*, public_only=False, leaves_only=False):
    qs = Category.objects.filter(is_active=True).select_related("parent")
    if public_only:
        qs = qs.filter(is_public=True)
    if leaves_only:
        qs = qs.exclude(deadline_unit="")
    return qs.order_by("code")


def locate_for_user(*, user, point) -> Location:
    """Locate a point the user may see; a point outside their jurisdiction is not found."""
    location = locate(point)
    if location.region is None or not covers_code(user, location.region.code):
        raise NotFound()
    return location
