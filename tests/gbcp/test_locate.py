import pytest

from apps.gbcp.coords import wgs84_to_gcj02
from apps.gbcp.locate import locate, make_point


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name,lat,lon,district",
    [
        ("Tiananmen Square", 39.9042, 116.3976, "110101"),
        ("Xidan", 39.9087, 116.3743, "110102"),
        ("Zhongguancun", 39.9834, 116.3162, "110108"),
        ("Summer Palace", 39.9999, 116.2755, "110108"),
        ("Lama Temple", 39.9470, 116.4173, "110101"),
    ],
)
def test_it_locates_real_points_in_their_district(name, lat, lon, district):
    location = locate(make_point(lon, lat))
    assert location.district.code == district, name
    assert location.city.code == "110100"
    # Street, community and grid lie inside the district, and someone is responsible.
    assert location.street.code.startswith(district)
    assert location.community.code.startswith(location.street.code)
    assert location.grid.code.startswith(location.community.code)
    assert location.organization.region.code == location.street.code


@pytest.mark.django_db
def test_a_point_outside_the_city_is_not_located():
    location = locate(make_point(121.47, 31.23))  # Shanghai
    assert not location.found and location.organization is None


@pytest.mark.django_db
def test_locate_api_insider_outsider_anonymous(api, api_as, insider, outsider):
    url = "/api/gbcp/locate/?lat=39.9042&lon=116.3976"
    ok = api_as(insider).get(url)
    assert ok.status_code == 200
    assert ok.json()["district"]["code"] == "110101"
    assert ok.json()["organization"]["name"].endswith("综合行政执法队")
    assert api_as(outsider).get(url).status_code == 404
    assert api.get(url).status_code == 401


@pytest.mark.django_db
def test_locate_api_converts_gcj02_input(api_as, insider):
    lon, lat = wgs84_to_gcj02(116.3976, 39.9042)
    body = api_as(insider).get(f"/api/gbcp/locate/?lat={lat}&lon={lon}&crs=gcj02").json()
    assert abs(body["point"]["lat"] - 39.9042) < 1e-6 and abs(body["point"]["lon"] - 116.3976) < 1e-6


@pytest.mark.django_db
@pytest.mark.parametrize("query,field", [("lat=91&lon=116", "lat"), ("lat=abc&lon=116", "lat"), ("lat=39&lon=116&crs=bd09", "crs")])
def test_locate_api_rejects_bad_coordinates_with_the_error_format(api_as, insider, query, field):
    response = api_as(insider).get(f"/api/gbcp/locate/?{query}")
    assert response.status_code == 400
    body = response.json()
    assert body["error"]["code"] == "invalid"
    assert field in body["error"]["details"]
