"""Generated demo geometry: community and grid polygons inside the real streets.

Streets are real (``demo/streets.py``); community (社区) and grid polygons are
not public, so each street is cut into cells of about equal area by recursive
bisection along the longer side of its bounding box. Everything drawn here is
marked ``geometry_generated``.
"""
import random

from django.contrib.gis.geos import GeometryCollection, GEOSGeometry, MultiPolygon, Point, Polygon

BISECTION_STEPS = 16  # the cut lands within 1/65536 of the extent: centimetres in a street
SEARCH_SIMPLIFY = 2e-5  # degrees (about 2 m): the search measures areas on a lighter copy; the cut is exact


def polygons_of(geometry):
    """The polygon parts of any geometry (an intersection may return a collection)."""
    if geometry is None or geometry.empty:
        return []
    if isinstance(geometry, Polygon):
        return [geometry]
    if isinstance(geometry, (MultiPolygon, GeometryCollection)):
        parts = []
        for part in geometry:
            parts.extend(polygons_of(part))
        return parts
    return []


def as_multipolygon(geometry) -> MultiPolygon:
    """The polygon parts of ``geometry`` with an area, as one MultiPolygon (copies: GEOS parts belong to their parent)."""
    if isinstance(geometry, MultiPolygon) and all(p.area > 0 for p in geometry):
        multi = geometry.clone()
    else:
        multi = MultiPolygon(*[p.clone() for p in polygons_of(geometry) if p.area > 0])
    multi.srid = 4326
    return multi


def as_polygon(geometry) -> Polygon:
    """Grids are single polygons: keep the largest part."""
    largest = max(polygons_of(geometry), key=lambda p: p.area).clone()
    largest.srid = 4326
    return largest


def _box(xmin, ymin, xmax, ymax):
    # From text: one call into GEOS (building the ring point by point costs dozens).
    return GEOSGeometry(f"POLYGON(({xmin!r} {ymin!r},{xmin!r} {ymax!r},{xmax!r} {ymax!r},{xmax!r} {ymin!r},{xmin!r} {ymin!r}))")


def _halves(extent, axis, at, srid):
    """The two boxes either side of ``at`` that cover ``extent``, low side first."""
    xmin, ymin, xmax, ymax = extent
    pad = 1.0
    if axis == 0:
        low, high = _box(xmin - pad, ymin - pad, at, ymax + pad), _box(at, ymin - pad, xmax + pad, ymax + pad)
    else:
        low, high = _box(xmin - pad, ymin - pad, xmax + pad, at), _box(xmin - pad, at, xmax + pad, ymax + pad)
    low.srid = high.srid = srid
    return low, high


def _cut(geometry, axis, at):
    low, high = _halves(geometry.extent, axis, at, geometry.srid)
    return geometry.intersection(low), geometry.intersection(high)


def partition(geometry, n, rng: random.Random | None = None):
    """Split ``geometry`` into ``n`` cells of about equal area that cover it, ordered north-west first."""
    if geometry.srid is None:
        geometry.srid = 4326
    if n <= 1:
        return [geometry]
    xmin, ymin, xmax, ymax = geometry.extent
    axis = 0 if (xmax - xmin) >= (ymax - ymin) else 1
    low_count = n // 2
    target = geometry.area * low_count / n
    lo, hi = (xmin, xmax) if axis == 0 else (ymin, ymax)
    # A little jitter keeps the cells from looking like a chessboard.
    jitter = rng.uniform(-0.04, 0.04) if rng else 0.0
    target *= 1 + jitter
    extent, light = geometry.extent, geometry.simplify(SEARCH_SIMPLIFY, preserve_topology=True)
    target *= light.area / geometry.area if geometry.area else 1
    for _ in range(BISECTION_STEPS):
        mid = (lo + hi) / 2
        low_box, _high_box = _halves(extent, axis, mid, geometry.srid)
        if light.intersection(low_box).area < target:  # only the low side while searching
            lo = mid
        else:
            hi = mid
    low, high = _cut(geometry, axis, (lo + hi) / 2)
    cells = partition(low, low_count, rng) + partition(high, n - low_count, rng)
    cells.sort(key=lambda c: (-round(c.centroid.y, 3), c.centroid.x))
    return cells


def random_points_in(geometry, n, rng: random.Random):
    xmin, ymin, xmax, ymax = geometry.extent
    prepared = geometry.prepared
    points = []
    attempts = 0
    while len(points) < n:
        attempts += 1
        if attempts > n * 5000:
            raise RuntimeError("could not place points inside the polygon")
        p = Point(rng.uniform(xmin, xmax), rng.uniform(ymin, ymax), srid=4326)
        if prepared.contains(p):
            points.append(p)
    return points
