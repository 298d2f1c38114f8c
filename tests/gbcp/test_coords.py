import math

from apps.gbcp.coords import gcj02_to_wgs84, out_of_china, wgs84_to_gcj02

TIANANMEN_WGS84 = (116.3976, 39.9042)


def _metres(a, b):
    dlat = math.radians(b[1] - a[1])
    dlon = math.radians(b[0] - a[0]) * math.cos(math.radians(a[1]))
    return 6371000 * math.hypot(dlat, dlon)


def test_gcj02_offsets_beijing_by_several_hundred_metres_to_the_north_east():
    gcj = wgs84_to_gcj02(*TIANANMEN_WGS84)
    assert gcj[0] > TIANANMEN_WGS84[0] and gcj[1] > TIANANMEN_WGS84[1]
    assert 400 < _metres(TIANANMEN_WGS84, gcj) < 800


def test_gcj02_to_wgs84_returns_the_known_point_within_a_centimetre():
    back = gcj02_to_wgs84(*wgs84_to_gcj02(*TIANANMEN_WGS84))
    assert _metres(TIANANMEN_WGS84, back) < 0.01


def test_points_outside_china_are_not_shifted():
    assert out_of_china(2.35, 48.85)
    assert gcj02_to_wgs84(2.35, 48.85) == (2.35, 48.85)
