"""The real street layer: streets_wgs84.geojson joined to the register streets.csv by district and name, as a tiling.

Codes and names come from the register (``streets.csv``, the statistical division codes); boundaries from the
surveyed polygons (``streets_wgs84.geojson``). The polygons are made into a tiling of the city — the slivers
where two published polygons overlap go to the street with the lower code, the slivers of gap between them to
the neighbour with the longest shared edge — so that a point of the city lies in exactly one street, and the
district outlines are the unions of their streets. See docs/GROUND.md.
"""
import csv
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from django.contrib.gis.gdal import DataSource
from django.contrib.gis.geos import GeometryCollection, GEOSGeometry, MultiPolygon, Polygon

from apps.gbcp.demo.geometry import as_multipolygon

STREETS_FILE = "streets_wgs84.geojson"
REGISTER_FILE = "streets.csv"

# Fengtai (丰台区) is in the polygons' 2021 form of 26 units; streets.csv is an older edition of the register with 22.
# The 2021 notices renamed two units the register still lists under their old names: their successors take the
# register's code and name (the polygon is the successor's) ...
REGISTER_NAME = {
    ("110106", "宛平街道"): "宛平城街道",  # 撤销宛平城地区办事处，设立宛平街道办事处
    ("110106", "卢沟桥街道"): "卢沟桥乡",  # 撤销卢沟桥乡（地区办事处），设立新的卢沟桥街道办事处
}
# ... and created four that the register does not have yet: they take the codes of the later editions of the
# statistical division codes (which the polygons' source also carries).
LATER_EDITION_CODES = {
    ("110106", "玉泉营街道"): "110106022",
    ("110106", "看丹街道"): "110106023",
    ("110106", "五里店街道"): "110106024",
    ("110106", "青塔街道"): "110106025",
}
ETHNIC_WORDS = re.compile("回族|满族|蒙古族|蒙族")
# Gaps between published polygons smaller than this (square degrees: about 0.01 km² in Beijing) are filled.
GAP_MAX_AREA = 1e-6


class RegisterMismatch(ValueError):
    """A polygon that joins no row of the register, or two polygons that join the same row."""


@dataclass
class Street:
    code: str  # 9 digits
    name: str  # the register's
    district_code: str
    boundary: MultiPolygon
    source_name: str  # the polygon's, as published
    match: str  # exact, normalized, renamed (2021), later edition


@dataclass
class Layer:
    district_names: dict  # code → name, all 16
    streets: list  # of Street, by code
    districts: dict  # code → MultiPolygon, the union of its streets
    city: MultiPolygon

    def streets_of(self, district_code):
        return [s for s in self.streets if s.district_code == district_code]


def name_key(name: str) -> str:
    """朝阳's 地区 are 乡 in the polygons' source; ethnic townships drop or shorten their ethnic words there."""
    name = ETHNIC_WORDS.sub("", name)
    return name[:-2] + "乡" if name.endswith("地区") else name


def read_register(path):
    """(district code → name, district code → {street name → 9-digit code}) from streets.csv."""
    districts, streets = {}, {}
    with open(path, encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["deep"] == "2":
                districts[row["id"]] = row["ext_name"]
            elif row["deep"] == "3":
                streets.setdefault(row["pid"], {})[row["ext_name"]] = row["id"]
    return districts, streets


def register_code(district_code, name, register):
    """The register's (code, name, match) of a published polygon: by exact name, then by normalised name, then
    through Fengtai's 2021 table; ``None`` when nothing fits."""
    names = register.get(district_code, {})
    if name in names:
        return names[name], name, "exact"
    by_key = {}
    for register_name in names:
        by_key.setdefault(name_key(register_name), []).append(register_name)
    candidates = by_key.get(name_key(name), [])
    if len(candidates) == 1:
        return names[candidates[0]], candidates[0], "normalized"
    renamed = REGISTER_NAME.get((district_code, name))
    if renamed in names:
        return names[renamed], renamed, "renamed (2021)"
    if (district_code, name) in LATER_EDITION_CODES:
        return LATER_EDITION_CODES[(district_code, name)], name, "later edition"
    return None


def join(features, register):
    """Streets from (district code, published name, geometry) triples; every polygon joins one code."""
    streets, seen = [], {}
    for district_code, source_name, geometry in features:
        joined = register_code(district_code, source_name, register)
        if joined is None:
            raise RegisterMismatch(f"{district_code} {source_name}: no row of the register")
        code, name, match = joined
        if code in seen:
            raise RegisterMismatch(f"{district_code} {source_name} and {seen[code]} both join {code}")
        seen[code] = source_name
        streets.append(Street(code, name, district_code, as_multipolygon(geometry), source_name, match))
    return sorted(streets, key=lambda s: s.code)


def _boxes_meet(a, b):
    return not (a[0] > b[2] or b[0] > a[2] or a[1] > b[3] or b[1] > a[3])


def union(shapes) -> MultiPolygon:
    return as_multipolygon(GeometryCollection(*shapes, srid=4326).unary_union)


def tile(streets):
    """Remove overlaps (the lower code keeps them) and fill small gaps (the longest shared edge takes them)."""
    boxes = [s.boundary.extent for s in streets]
    for i, street in enumerate(streets):
        for j, other in enumerate(streets[:i]):
            if _boxes_meet(boxes[i], boxes[j]) and street.boundary.relate_pattern(other.boundary, "T********"):
                street.boundary = as_multipolygon(street.boundary.difference(other.boundary))
    for outer in union(s.boundary for s in streets):
        for ring in list(outer)[1:]:
            gap = Polygon(ring.clone(), srid=4326)
            if gap.area > GAP_MAX_AREA:
                continue
            box, edge = gap.extent, gap.boundary
            shared = [(edge.intersection(s.boundary).length, i) for i, s in enumerate(streets) if _boxes_meet(box, boxes[i])]
            length, i = max(shared, default=(0, None))
            if length > 0:
                streets[i].boundary = as_multipolygon(streets[i].boundary.union(gap))
    return streets


def read_layer(data_dir) -> Layer:
    district_names, register = read_register(data_dir / REGISTER_FILE)
    source = DataSource(str(data_dir / STREETS_FILE))
    features = [(f.get("district_code"), f.get("name"), f.geom.geos) for f in source[0]]
    streets = tile(join(features, register))
    districts = {code: union(s.boundary for s in streets if s.district_code == code) for code in sorted(district_names)}
    return Layer(district_names, streets, districts, union(districts.values()))


@functools.lru_cache(maxsize=2)
def _layer_wkb(data_dir_text):
    layer = read_layer(Path(data_dir_text))
    streets = tuple((s.code, s.name, s.district_code, bytes(s.boundary.wkb), s.source_name, s.match) for s in layer.streets)
    districts = tuple((code, bytes(shape.wkb)) for code, shape in layer.districts.items())
    return tuple(layer.district_names.items()), streets, districts, bytes(layer.city.wkb)


def _shape(wkb) -> MultiPolygon:
    return GEOSGeometry(memoryview(wkb), srid=4326)


def real_layer(data_dir) -> Layer:
    """The layer of ``data_dir`` (computed once per process, a few seconds; fresh geometry objects every call)."""
    names, streets, districts, city = _layer_wkb(str(data_dir))
    return Layer(
        dict(names),
        [Street(code, name, district, _shape(wkb), source_name, match) for code, name, district, wkb, source_name, match in streets],
        {code: _shape(wkb) for code, wkb in districts},
        _shape(city),
    )
