import pytest

from apps.gbcp.models import Place


@pytest.mark.django_db
def test_insider_lists_only_places_in_the_district(api_as, insider):
    body = api_as(insider).get("/api/gbcp/places/?page_size=500").json()
    expected = Place.objects.filter(region__code__startswith="110101").count()
    assert body["count"] == expected > 0
    assert all(p["region"]["code"].startswith("110101") for p in body["results"])


@pytest.mark.django_db
def test_a_street_officer_sees_only_the_street(api_as, street_officer):
    body = api_as(street_officer).get("/api/gbcp/places/?page_size=500").json()
    assert all(p["region"]["code"].startswith("110101001") for p in body["results"])
    assert body["count"] == Place.objects.filter(region__code__startswith="110101001").count()


@pytest.mark.django_db
def test_place_detail_insider_outsider_anonymous(api, api_as, insider, outsider, dongcheng_place):
    url = f"/api/gbcp/places/{dongcheng_place.pk}/"
    body = api_as(insider).get(url).json()
    assert body["city_code"] == dongcheng_place.city_code
    assert body["point"]["lat"] == pytest.approx(dongcheng_place.point.y)
    not_yours = api_as(outsider).get(url)
    not_there = api_as(outsider).get("/api/gbcp/places/999999/")
    assert not_yours.status_code == not_there.status_code == 404
    assert not_yours.json() == not_there.json()
    anonymous = api.get(url)
    assert anonymous.status_code == 401
    assert anonymous.json()["error"]["code"] == "not_authenticated"


@pytest.mark.django_db
def test_places_filter_by_bbox_kind_region_and_city_code(api_as, admin_user, dongcheng_place):
    client = api_as(admin_user)
    p = dongcheng_place.point
    bbox = f"{p.x - 0.0001},{p.y - 0.0001},{p.x + 0.0001},{p.y + 0.0001}"
    ids = [r["id"] for r in client.get(f"/api/gbcp/places/?bbox={bbox}").json()["results"]]
    assert dongcheng_place.pk in ids
    far = client.get("/api/gbcp/places/?bbox=116.0,40.5,116.01,40.51").json()
    assert far["count"] == 0
    kinds = client.get(f"/api/gbcp/places/?kind={dongcheng_place.kind}&page_size=500").json()["results"]
    assert kinds and {r["kind"] for r in kinds} == {dongcheng_place.kind}
    region = client.get("/api/gbcp/places/?region=110102&page_size=500").json()["results"]
    assert region and all(r["region"]["code"].startswith("110102") for r in region)
    by_code = client.get(f"/api/gbcp/places/?city_code={dongcheng_place.city_code}").json()
    assert by_code["count"] == 1 and by_code["results"][0]["id"] == dongcheng_place.pk


@pytest.mark.django_db
def test_places_refuse_a_malformed_bbox(api_as, insider):
    response = api_as(insider).get("/api/gbcp/places/?bbox=1,2,3")
    assert response.status_code == 400 and "bbox" in response.json()["error"]["details"]


@pytest.mark.django_db
def test_the_place_list_costs_the_same_queries_for_any_page_size(api_as, admin_user, django_assert_max_num_queries):
    client = api_as(admin_user)
    with django_assert_max_num_queries(4):
        small = client.get("/api/gbcp/places/?page_size=2")
    with django_assert_max_num_queries(4):
        large = client.get("/api/gbcp/places/?page_size=60")
    assert len(large.json()["results"]) > len(small.json()["results"])


@pytest.mark.django_db
def test_map_layers_are_scoped_geojson(api, api_as, insider, outsider):
    districts = api_as(insider).get("/api/gbcp/regions/geojson/?level=2").json()
    assert districts["type"] == "FeatureCollection"
    assert [f["properties"]["code"] for f in districts["features"]] == ["110101"]
    streets = api_as(insider).get("/api/gbcp/regions/geojson/?level=3&zoom=11").json()
    assert streets["count"] == 17 and not any(f["properties"]["generated"] for f in streets["features"])  # real streets
    assert api_as(outsider).get("/api/gbcp/regions/geojson/?level=2").json()["features"][0]["properties"]["code"] == "110108"
    grids = api_as(insider).get("/api/gbcp/grids/geojson/?bbox=116.38,39.89,116.42,39.93").json()
    assert grids["features"] and all(f["properties"]["code"].startswith("110101") for f in grids["features"])
    places = api_as(insider).get("/api/gbcp/places/geojson/").json()
    assert places["features"][0]["geometry"]["type"] == "Point"
    for url in ("/api/gbcp/regions/geojson/", "/api/gbcp/grids/geojson/", "/api/gbcp/places/geojson/"):
        assert api.get(url).status_code == 401


@pytest.mark.django_db
def test_entity_list_insider_outsider_anonymous(api, api_as, insider, outsider):
    from apps.gbcp.models import Entity

    entity = Entity.objects.filter(region__code__startswith="110101").first()
    assert entity.pk in [e["id"] for e in api_as(insider).get("/api/gbcp/entities/?page_size=500").json()["results"]]
    assert entity.pk not in [e["id"] for e in api_as(outsider).get("/api/gbcp/entities/?page_size=500").json()["results"]]
    assert api_as(outsider).get(f"/api/gbcp/entities/{entity.pk}/").status_code == 404
    assert api.get("/api/gbcp/entities/").status_code == 401


@pytest.mark.django_db
def test_categories_are_listed_to_staff_only(api, api_as, insider):
    body = api_as(insider).get("/api/gbcp/categories/?leaves=1&page_size=500").json()
    assert body["count"] >= 60
    assert all(c["deadline_unit"] for c in body["results"])
    assert api.get("/api/gbcp/categories/").status_code == 401
