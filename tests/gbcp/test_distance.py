"""The one distance helper: haversine metres, and a search box that never cuts the radius short."""
import pytest
from django.contrib.gis.geos import Point

from apps.gbcp.distance import box_around, metres_between


def test_it_measures_a_known_distance_in_beijing():
    # 天安门 to 故宫北门 (神武门): about 1.9 km due north, within the haversine's sphere error.
    tiananmen, shenwumen = Point(116.3975, 39.9087, srid=4326), Point(116.3972, 39.9254, srid=4326)
    assert metres_between(tiananmen, shenwumen) == pytest.approx(1857, rel=0.01)


def test_it_is_zero_for_one_point_and_symmetric():
    a, b = Point(116.4, 39.9), Point(116.41, 39.91)
    assert metres_between(a, a) == 0
    assert metres_between(a, b) == pytest.approx(metres_between(b, a))


@pytest.mark.parametrize("lat", [0.0, 39.9, 53.5])
@pytest.mark.parametrize("metres", [50, 150, 1000])
def test_the_box_reaches_at_least_the_radius_in_every_direction(lat, metres):
    centre = Point(116.4, lat, srid=4326)
    west, south, east, north = box_around(centre, metres).extent
    for edge in (Point(centre.x, north), Point(centre.x, south), Point(east, centre.y), Point(west, centre.y)):
        assert metres_between(centre, edge) >= metres * 0.999
    assert metres_between(centre, Point(centre.x, north)) < metres * 1.02
