"""One locate service: a WGS-84 point to community, street, district, grid and responsible organisation."""
from dataclasses import dataclass

from django.contrib.gis.geos import Point

from apps.gbcp.models import Grid, Organization, Region

CITY_LAT_RANGE = (-90.0, 90.0)
CITY_LON_RANGE = (-180.0, 180.0)


@dataclass
class Location:
    point: Point
    community: Region | None = None
    street: Region | None = None
    district: Region | None = None
    city: Region | None = None
    grid: Grid | None = None
    organization: Organization | None = None

    @property
    def region(self) -> Region | None:
        """The smallest region that holds the point."""
        return self.community or self.street or self.district or self.city

    @property
    def found(self) -> bool:
        return self.region is not None


def make_point(lon: float, lat: float) -> Point:
    return Point(float(lon), float(lat), srid=4326)


def locate(point: Point) -> Location:
    """Regions come from the spatial index (boundary contains point), smallest level last."""
    if point.srid != 4326:
        point = point.transform(4326, clone=True)
    location = Location(point=point)
    regions = Region.objects.filter(boundary__contains=point).only("id", "code", "name", "level", "scope", "parent_id")
    by_level = {r.level: r for r in regions}
    location.city = by_level.get(Region.Level.CITY)
    location.district = by_level.get(Region.Level.DISTRICT)
    location.street = by_level.get(Region.Level.STREET)
    location.community = by_level.get(Region.Level.COMMUNITY)
    if location.street is not None:
        location.grid = (
            Grid.objects.filter(region__code__startswith=location.street.code, boundary__contains=point)
            .select_related("squad")
            .defer("boundary")
            .first()
        )
    location.organization = responsible_organization(location)
    return location


def responsible_organization(location: Location) -> Organization | None:
    """The grid's squad, else the street's team, else the district's (兜底), else the city bureau."""
    if location.grid is not None and location.grid.squad_id:
        return location.grid.squad
    for region in (location.street, location.district, location.city):
        if region is None:
            continue
        org = (
            Organization.objects.filter(region=region, kind__in=[Organization.Kind.ENFORCEMENT_TEAM, Organization.Kind.BUREAU], is_active=True)
            .order_by("id")
            .first()
        )
        if org is not None:
            return org
    return None
