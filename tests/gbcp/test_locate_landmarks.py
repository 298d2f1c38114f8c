"""Routing sends a known point to its real street (街道/乡镇) and that street's squad.

Coordinates are WGS-84, each with its source. The session seeds 东城, 西城 and 海淀 only; the landmarks of other
districts load those districts' streets inside their test (rolled back afterwards).
"""
import io

import pytest
from django.conf import settings

from apps.gbcp.demo import seed, streets
from apps.gbcp.locate import locate, make_point

# name, lat, lon, street code, street name, source of the coordinates
SESSION_LANDMARKS = [
    ("Great Hall of the People", 39.9034, 116.3874, "110102001", "西长安街街道", "issue 12"),
    ("Peking University (燕园 campus)", 39.98972, 116.30528, "110108015", "燕园街道", "Wikipedia, Peking University: 39°59′23″N 116°18′19″E"),
    ("东华门大街", 39.9163, 116.4074, "110101001", "东华门街道", "issue 12"),
    ("Tiananmen Square", 39.9042, 116.3976, "110101001", "东华门街道", "fixtures/beijing/README.md"),
    ("Beijing railway station", 39.902896, 116.42792, "110101008", "建国门街道", "Wikipedia, Beijing railway station: 39°54′10″N 116°25′41″E"),
    ("Summer Palace", 39.9975, 116.2689, "110108013", "青龙桥街道", "Wikipedia, Summer Palace: 39°59′51″N 116°16′8″E"),
    ("Zhongguancun", 39.9834, 116.3162, "110108011", "中关村街道", "tests/gbcp/test_locate.py"),
    ("Xidan", 39.9087, 116.3743, "110102001", "西长安街街道", "tests/gbcp/test_locate.py"),
    ("Lama Temple", 39.9470, 116.4173, "110101005", "北新桥街道", "tests/gbcp/test_locate.py"),
]
OTHER_LANDMARKS = [
    ("China World Trade Center (国贸), Tower III", 39.9109336, 116.452176, "110105001", "建外街道", "Wikipedia, China World Trade Center Tower III"),
    ("China World Trade Center (国贸), the complex", 39.908444, 116.453083, "110105001", "建外街道", "Wikipedia (de), China World Trade Center: 39°54′30.4″N 116°27′11.1″E"),
    ("Badaling Great Wall (八达岭)", 40.35417, 116.00694, "110119102", "八达岭镇", "Wikipedia, Badaling: 40°21′15″N 116°00′25″E"),
    ("Beijing Capital International Airport", 40.08, 116.58444, "110105043", "首都机场街道", "Wikipedia, Beijing Capital International Airport: 40°04′48″N 116°35′04″E (Chaoyang's enclave in Shunyi)"),
    ("Wanping Fortress (宛平城)", 39.85, 116.22, "110106014", "宛平城街道", "Wikipedia, Wanping Fortress: 39°51′00″N 116°13′12″E (宛平街道 since 2021)"),
    ("Changling, Ming tombs", 40.29972, 116.24278, "110114119", "十三陵镇", "wikimapia, Changling: 40°17′59″N 116°14′34″E"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("name,lat,lon,code,street_name,source", SESSION_LANDMARKS, ids=[row[0] for row in SESSION_LANDMARKS])
def test_a_landmark_is_located_in_its_real_street_and_goes_to_that_streets_squad(name, lat, lon, code, street_name, source):
    location = locate(make_point(lon, lat))
    assert (location.street.code, location.street.name) == (code, street_name), f"{name} ({source})"
    assert location.district.code == code[:6] and location.community.code.startswith(code)
    assert location.organization.name == f"{street_name}综合行政执法队"


@pytest.mark.django_db
def test_landmarks_of_the_other_districts_are_located_in_their_real_streets():
    wanted = {row[3][:6] for row in OTHER_LANDMARKS} | {"110106"}
    seed.load_regions(seed.DemoContext(stdout=io.StringIO(), style=None, district_codes=wanted, progress=False))
    found = {}
    for name, lat, lon, code, street_name, source in OTHER_LANDMARKS:
        location = locate(make_point(lon, lat))
        found[name] = (location.street.code, location.street.name, location.district.code) if location.street else None
    assert found == {name: (code, street_name, code[:6]) for name, _lat, _lon, code, street_name, _source in OTHER_LANDMARKS}


@pytest.mark.django_db
def test_a_point_in_one_of_fengtais_2021_units_is_located_under_its_later_edition_code():
    seed.load_regions(seed.DemoContext(stdout=io.StringIO(), style=None, district_codes={"110106"}, progress=False))
    layer = streets.real_layer(settings.DEMO_DATA_DIR / "beijing")
    for street in layer.streets_of("110106"):
        location = locate(street.boundary.point_on_surface)
        assert (location.street.code, location.street.name) == (street.code, street.name)
        assert location.district.code == "110106" and not location.street.geometry_generated
