"""The demo city stands on the real street polygons: every street of the register, Fengtai reconciled, a tiling."""
import csv
import json

import pytest
from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Polygon

from apps.gbcp.coords import convert_coords, gcj02_to_wgs84
from apps.gbcp.demo import streets

DATA = settings.DEMO_DATA_DIR / "beijing"


@pytest.fixture(scope="module")
def layer():
    return streets.real_layer(DATA)


@pytest.fixture(scope="module")
def register_rows():
    with open(DATA / "streets.csv", encoding="utf-8") as fh:
        return [row for row in csv.DictReader(fh) if row["deep"] == "3"]


@pytest.fixture(scope="module")
def published():
    with open(DATA / "streets_wgs84.geojson", encoding="utf-8") as fh:
        return [f["properties"] for f in json.load(fh)["features"]]


def test_every_street_of_the_register_is_built_from_a_real_polygon_under_its_code_and_name(layer, register_rows):
    built = {s.code: s for s in layer.streets}
    assert len(register_rows) == 339
    for row in register_rows:
        street = built[row["id"]]
        assert street.name == row["ext_name"] and street.district_code == row["pid"]
        assert isinstance(street.boundary, MultiPolygon) and street.boundary.valid and street.boundary.area > 0
    assert sorted(set(built) - {row["id"] for row in register_rows}) == ["110106022", "110106023", "110106024", "110106025"]
    assert len(layer.streets) == 343


def test_the_join_by_district_and_name_agrees_with_the_files_own_join(layer, published):
    ours = {(s.district_code, s.source_name): s.code for s in layer.streets}
    for props in published:
        code = ours[(props["district_code"], props["name"])]
        if props["stats_code12"]:
            assert code == props["stats_code12"][:9], props["name"]
        else:  # the four units Fengtai created in 2021: the later editions' codes, which the source carries too
            assert code == props["src_code"][:9] and props["match"] == "none", props["name"]


def test_fengtai_is_its_2021_form_under_the_registers_22_codes_and_4_later_ones(layer):
    fengtai = {s.source_name: (s.code, s.name, s.match) for s in layer.streets_of("110106")}
    assert len(fengtai) == 26
    assert fengtai["宛平街道"] == ("110106014", "宛平城街道", "renamed (2021)")
    assert fengtai["卢沟桥街道"] == ("110106201", "卢沟桥乡", "renamed (2021)")
    assert {name: code for name, (code, _n, match) in fengtai.items() if match == "later edition"} == {
        "玉泉营街道": "110106022", "看丹街道": "110106023", "五里店街道": "110106024", "青塔街道": "110106025",
    }


@pytest.mark.parametrize("published_name,register_name", [
    ("三间房乡", "三间房地区"), ("常营乡", "常营回族乡"), ("檀营满族蒙古族乡", "檀营满族蒙族乡"), ("东华门街道", "东华门街道"),
])
def test_names_are_compared_without_the_chaoyang_diqu_and_the_ethnic_words(published_name, register_name):
    assert streets.name_key(published_name) == streets.name_key(register_name)


def test_a_polygon_that_joins_no_row_of_the_register_is_refused():
    square = Polygon.from_bbox((116.0, 39.0, 116.1, 39.1))
    register = {"110101": {"东华门街道": "110101001"}}
    with pytest.raises(streets.RegisterMismatch):
        streets.join([("110101", "不存在街道", square)], register)
    with pytest.raises(streets.RegisterMismatch):
        streets.join([("110101", "东华门街道", square), ("110101", "东华门街道", square)], register)


def test_the_streets_tile_the_city_without_overlap(layer):
    shapes = [s.boundary for s in layer.streets]
    boxes = [s.extent for s in shapes]
    for i, a in enumerate(shapes):
        for j in range(i):
            box, other = boxes[j], boxes[i]
            if box[0] > other[2] or other[0] > box[2] or box[1] > other[3] or other[1] > box[3]:
                continue
            assert a.intersection(shapes[j]).area < 1e-12, (layer.streets[i].name, layer.streets[j].name)
    assert streets.union(shapes).sym_difference(layer.city).area < 1e-9
    # The published polygons' slivers of gap are filled: what is left are specks of rounding (< 1 m²).
    assert all(Polygon(ring.clone()).area < 1e-10 for outer in layer.city for ring in list(outer)[1:])


def test_each_district_outline_is_the_union_of_its_streets(layer):
    assert sorted(layer.districts) == sorted(layer.district_names) and len(layer.districts) == 16
    for code, outline in layer.districts.items():
        own = layer.streets_of(code)
        assert outline.sym_difference(streets.union(s.boundary for s in own)).area < 1e-9
        for street in own:
            assert outline.contains(street.boundary.point_on_surface)
    # 首都机场街道 is Chaoyang's enclave inside Shunyi: in Chaoyang's outline, a hole in Shunyi's.
    airport = next(s for s in layer.streets if s.code == "110105043")
    assert layer.districts["110105"].contains(airport.boundary.point_on_surface)
    assert not layer.districts["110113"].contains(airport.boundary.point_on_surface)


def test_the_derived_district_outlines_agree_with_the_published_district_outlines(layer):
    """Tolerance: areas within 1 %, and the parts in one outline but not the other under 5 % of the area
    (the DataV outlines are GCJ-02 converted to WGS-84 and drawn coarser)."""
    with open(DATA / "districts_110100.geojson", encoding="utf-8") as fh:
        collection = json.load(fh)
    for feature in collection["features"]:
        geometry = dict(feature["geometry"])
        geometry["coordinates"] = convert_coords(geometry["coordinates"], gcj02_to_wgs84)
        datav = GEOSGeometry(json.dumps(geometry), srid=4326).buffer(0)
        derived = layer.districts[str(feature["properties"]["adcode"])]
        assert derived.area == pytest.approx(datav.area, rel=0.01), feature["properties"]["name"]
        assert derived.sym_difference(datav).area < 0.05 * datav.area, feature["properties"]["name"]
