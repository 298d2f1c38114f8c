import pytest
from django.contrib.gis.geos import Point

from apps.gbcp import citycode, services
from apps.gbcp.errors import ApplicationError
from apps.gbcp.models import Place


@pytest.mark.django_db
def test_a_new_place_is_located_and_gets_a_valid_city_code_with_history(insider):
    place = services.place_create(user=insider, name="测试餐厅", kind=Place.Kind.RESTAURANT, space=Place.Space.PRODUCTION, point=Point(116.3976, 39.9042, srid=4326))
    assert place.region.code.startswith("110101") and place.region.level == 4
    assert place.grid is not None and place.grid.code.startswith(place.region.code)
    assert citycode.is_valid(place.city_code) and place.city_code.startswith("110101P")
    record = place.history.first()
    assert record.history_type == "+" and record.history_user == insider


@pytest.mark.django_db
def test_moving_a_place_relocates_it_but_keeps_its_code(insider, outsider):
    place = services.place_create(user=insider, name="流动摊点", kind=Place.Kind.SHOP, space=Place.Space.PUBLIC, point=Point(116.3976, 39.9042, srid=4326))
    code = place.city_code
    services.place_update(user=outsider, place=place, point=Point(116.3162, 39.9834, srid=4326))
    place.refresh_from_db()
    assert place.region.code.startswith("110108") and place.city_code == code
    assert place.history.first().history_user == outsider
    assert place.history.count() == 2


@pytest.mark.django_db
def test_city_codes_are_never_reused():
    codes = {services.city_code_issue(region_code="110101", kind="place") for _ in range(5)}
    assert len(codes) == 5


@pytest.mark.django_db
def test_a_place_outside_the_city_is_refused_and_nothing_is_stored(insider):
    before = Place.objects.count()
    with pytest.raises(ApplicationError) as info:
        services.place_create(user=insider, name="上海", kind=Place.Kind.SHOP, space=Place.Space.PUBLIC, point=Point(121.47, 31.23, srid=4326))
    assert info.value.code == "outside_city"
    assert Place.objects.count() == before


@pytest.mark.django_db
def test_an_entity_with_a_bad_credit_code_is_refused(insider):
    with pytest.raises(ApplicationError) as info:
        services.entity_create(user=insider, name="坏公司", uscc="91350100M000100Y44")
    assert "uscc" in info.value.details


@pytest.mark.django_db
def test_a_person_with_a_bad_id_number_is_refused(insider):
    with pytest.raises(ApplicationError) as info:
        services.person_create(user=insider, name="张三", id_number="110105194912310021")
    assert "id_number" in info.value.details
    person = services.person_create(user=insider, name="张三", id_number="11010519491231002x", phone="13812345678")
    assert person.id_number.endswith("X") and person.history.first().history_user == insider
