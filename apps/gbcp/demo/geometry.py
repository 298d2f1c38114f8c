"""Generated demo geometry: street, community and grid polygons inside real district outlines.

No public street polygons exist, so cells are drawn as a relaxed Voronoi
partition of each parent polygon (shapely). Everything drawn here is marked
``geometry_generated`` in the database.
"""
import random

import shapely
from shapely.geometry import MultiPolygon as ShapelyMultiPolygon
from shapely.geometry import Point as ShapelyPoint
from shapely.geometry import Polygon as ShapelyPolygon
from shapely.ops import unary_union


def random_points_in(polygon, n, rng: random.Random):
    minx, miny, maxx, maxy = polygon.bounds
    prepared = shapely.prepared.prep(polygon)
    points = []
    attempts = 0
    while len(points) < n:
        attempts += 1
        if attempts > n * 2000:
            raise RuntimeError("could not place points inside polygon")
        p = ShapelyPoint(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
        if prepared.contains(p):
            points.append(p)
    return points


def partition(polygon, n, rng: random.Random, relax=2):
    """Split ``polygon`` into ``n`` cells that cover it exactly, ordered west to east, north to south."""
    polygon = shapely.make_valid(polygon)
    if n <= 1:
        return [polygon]
    seeds = random_points_in(polygon, n, rng)
    cells = []
    for _ in range(relax + 1):
        diagram = shapely.voronoi_polygons(shapely.MultiPoint(seeds), extend_to=polygon)
        by_seed = []
        for seed in seeds:
            cell = next((c for c in diagram.geoms if c.contains(seed)), None)
            by_seed.append(cell)
        cells = [c.intersection(polygon) if c is not None else None for c in by_seed]
        if any(c is None or c.is_empty for c in cells):
            break
        # Lloyd relaxation: move seeds to the centroid of their cell (kept inside).
        new_seeds = []
        for cell in cells:
            centroid = cell.centroid
            new_seeds.append(centroid if polygon.contains(centroid) else cell.representative_point())
        seeds = new_seeds
    cells = [c for c in cells if c is not None and not c.is_empty]
    # Anything the cells miss (numerical slivers) joins its first neighbour.
    rest = polygon.difference(unary_union(cells))
    if not rest.is_empty and rest.area > 0:
        cells[0] = unary_union([cells[0], rest])
    cells.sort(key=lambda c: (-round(c.centroid.y, 3), c.centroid.x))
    return [largest_polygon_or_multi(c) for c in cells]


def largest_polygon_or_multi(geometry):
    geometry = shapely.make_valid(geometry)
    if geometry.geom_type in {"Polygon", "MultiPolygon"}:
        return geometry
    polys = [g for g in getattr(geometry, "geoms", []) if g.geom_type in {"Polygon", "MultiPolygon"}]
    return unary_union(polys)


def as_multipolygon(geometry) -> ShapelyMultiPolygon:
    if geometry.geom_type == "Polygon":
        return ShapelyMultiPolygon([geometry])
    return ShapelyMultiPolygon([g for g in geometry.geoms if g.geom_type == "Polygon"])


def as_polygon(geometry) -> ShapelyPolygon:
    """Grids are single polygons: keep the largest part."""
    if geometry.geom_type == "Polygon":
        return geometry
    return max((g for g in geometry.geoms if g.geom_type == "Polygon"), key=lambda g: g.area)
