"""Distances on the ground between WGS-84 points, and the box of degrees around a point that a
radius in metres spans (to ask the spatial index before measuring exactly)."""
import math

from django.contrib.gis.geos import Polygon

EARTH_RADIUS_M = 6371008.8  # the mean radius (IUGG)
METRES_PER_DEGREE = 2 * math.pi * EARTH_RADIUS_M / 360  # on the sphere the distances are measured on
BOX_MARGIN = 1.01  # the ellipsoid's degrees differ from the sphere's by under 0.7 %


def metres_between(a, b) -> float:
    """Great-circle (haversine) distance in metres of two WGS-84 points (``x`` longitude, ``y`` latitude)."""
    lat1, lat2 = math.radians(a.y), math.radians(b.y)
    dlat, dlon = lat2 - lat1, math.radians(b.x - a.x)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h))


def box_around(point, metres: float) -> Polygon:
    """The WGS-84 square reaching at least ``metres`` from ``point`` in each direction (north, south, east, west)."""
    dlat = metres * BOX_MARGIN / METRES_PER_DEGREE
    dlon = metres * BOX_MARGIN / (METRES_PER_DEGREE * max(math.cos(math.radians(point.y)), 0.01))
    box = Polygon.from_bbox((point.x - dlon, point.y - dlat, point.x + dlon, point.y + dlat))
    box.srid = 4326
    return box
