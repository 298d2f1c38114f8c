"""The region layer is simplified and written as GeoJSON by the database, and reads the same as before."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.gbcp.api.geojson import feature, simplify_tolerance
from apps.gbcp.models import Region

URL = "/api/gbcp/regions/geojson/"


def vertices(geometry):
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    return sum(len(ring) for polygon in polygons for ring in polygon)


@pytest.mark.django_db
@pytest.mark.parametrize("zoom", [10, 12, 14, None])
def test_the_street_layer_matches_the_outlines_simplified_in_python_within_a_few_vertices(api_as, insider, zoom):
    body = api_as(insider).get(f"{URL}?level=3" + (f"&zoom={zoom}" if zoom else "")).json()
    assert body["type"] == "FeatureCollection" and body["count"] == len(body["features"]) == 17
    regions = {r.code: r for r in Region.objects.filter(code__startswith="110101", level=3).select_related("parent")}
    for item in body["features"]:
        region = regions[item["id"]]
        assert item["properties"] == {"code": region.code, "name": region.name, "level": 3, "parent": "110101", "generated": False}
        assert item["geometry"]["type"] == "MultiPolygon"  # GEOS in Python turned a one-part outline into a Polygon
        by_python = feature(region.boundary, {}, tolerance=simplify_tolerance(zoom))["geometry"]
        assert abs(vertices(item["geometry"]) - vertices(by_python)) <= 2, region.name
        first = by_python["coordinates"][0][0] if by_python["type"] == "Polygon" else by_python["coordinates"][0][0][0]
        assert item["geometry"]["coordinates"][0][0][0] == pytest.approx(first, abs=1e-6)


@pytest.mark.django_db
def test_city_zoom_sends_fewer_vertices_than_full_detail_and_a_tiny_tolerance_never_drops_an_outline(api_as, admin_user):
    client = api_as(admin_user)
    city = client.get(f"{URL}?level=3&zoom=10&page_size=2000").json()
    full = client.get(f"{URL}?level=3&page_size=2000").json()
    assert sum(map(vertices, (f["geometry"] for f in city["features"]))) < sum(map(vertices, (f["geometry"] for f in full["features"])))
    world = client.get(f"{URL}?level=3&zoom=0&page_size=2000").json()  # 0.4°: Douglas-Peucker would drop every street
    assert world["count"] == len(world["features"]) == full["count"]
    assert all(f["geometry"]["type"] == "MultiPolygon" and f["geometry"]["coordinates"] for f in world["features"])


@pytest.mark.django_db
def test_the_layer_costs_the_same_statements_for_any_page_size_and_the_browsable_api_still_answers(api_as, insider):
    client = api_as(insider)
    client.get(f"{URL}?level=3&zoom=11&page_size=1")  # the connection's first spatial call asks the library's version
    with CaptureQueriesContext(connection) as small:
        client.get(f"{URL}?level=3&zoom=11&page_size=2")
    with CaptureQueriesContext(connection) as large:
        client.get(f"{URL}?level=3&zoom=11&page_size=500")
    assert len(small) == len(large)
    page = client.get(f"{URL}?level=2&zoom=11&format=api")
    assert page.status_code == 200 and "MultiPolygon" in page.content.decode()
