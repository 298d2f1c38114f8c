"""The selectors other apps use: intervals from key points, licences of a place, the ledger of a place."""
import datetime as dt

import pytest
from django.contrib.gis.geos import Polygon

from apps.gbcp.errors import NotFound
from apps.ledger import selectors
from apps.ledger.models import KeyPoint, Licence, LicenceKind

pytestmark = pytest.mark.django_db


def _square(point, d=0.001):
    x, y = point.x, point.y
    return Polygon(((x - d, y - d), (x + d, y - d), (x + d, y + d), (x - d, y + d), (x - d, y - d)), srid=4326)


def test_the_smallest_interval_of_active_key_points_wins(dongcheng_place, haidian_place):
    code = dongcheng_place.region.code
    KeyPoint.objects.create(code="T-KP1", name="a", place=dongcheng_place, reason="x", interval_days=7, region_code=code)
    KeyPoint.objects.create(code="T-KP2", name="b", area=_square(dongcheng_place.point), reason="y", interval_days=3, region_code=code)
    KeyPoint.objects.create(
        code="T-KP3", name="c", place=dongcheng_place, reason="z", interval_days=1, region_code=code,
        active_to=dt.date.today() - dt.timedelta(days=1),
    )
    intervals = selectors.key_point_interval_days(place_ids=[dongcheng_place.pk, haidian_place.pk])
    assert intervals[dongcheng_place.pk] == 3
    assert haidian_place.pk not in intervals or intervals[haidian_place.pk] != 3


def test_licences_for_a_place_come_with_holder_and_department(dongcheng_place, django_assert_max_num_queries):
    kind = LicenceKind.objects.get(code=LicenceKind.FOOD)
    Licence.objects.create(kind=kind, number="T-LIC-1", place=dongcheng_place, issuing_department="东城区市场监督管理局",
                           region_code=dongcheng_place.region.code)
    with django_assert_max_num_queries(1):
        rows = [(lic.kind.name, lic.holder, lic.department_name) for lic in selectors.licences_for_place(place=dongcheng_place)]
    assert ("食品经营许可证", None, "东城区市场监督管理局") in rows


def test_the_ledger_of_a_place_is_hidden_from_another_district(dongcheng_place, insider, outsider):
    ledger = selectors.ledger_for_place(user=insider, place=dongcheng_place)
    assert set(ledger) == {"licences", "zones", "key_points", "corrections"}
    with pytest.raises(NotFound):
        selectors.ledger_for_place(user=outsider, place=dongcheng_place)
