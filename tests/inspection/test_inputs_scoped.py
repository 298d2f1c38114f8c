"""Every primary key an inspection input names resolves among what the caller may see: "not yours" is
refused exactly like "not there" (400, does not exist), for each of the five callers."""
import json
import re
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser

from apps.accounts.models import Role, User
from apps.gbcp.models import Grid
from apps.inspection import services
from apps.inspection.api import serializers as s
from tests.personas import five_callers, user_with

MISSING = 987654321


def _user(username):
    return User.objects.get(username=username)


def pk_error(serializer_class, user, field, value, **data):
    """The error codes of ``field`` when ``user`` sends ``value`` for it."""
    request = SimpleNamespace(user=user if user is not None else AnonymousUser())
    serializer = serializer_class(data={**data, field: value}, context={"request": request})
    serializer.is_valid()
    return [error.code for error in serializer.errors.get(field, [])]


def assert_scoped(serializer_class, callers, field, value, **data):
    """The insider may name ``value``; for everyone else it is what a pk that does not exist is."""
    assert pk_error(serializer_class, callers.insider, field, value, **data) == []
    for name, user in callers.others():
        refused = pk_error(serializer_class, user, field, value, **data)
        assert refused == ["does_not_exist"] == pk_error(serializer_class, user, field, MISSING, **data), name


@pytest.mark.django_db
def test_a_co_officer_is_named_among_the_staff_serving_where_the_caller_does(squad):
    callers = five_callers(role=Role.OFFICER, organization=squad)
    assert_scoped(s.RecordCreateSerializer, callers, "co_officer", _user("dhm_officer2").pk, city_code="X", answers=[])


@pytest.mark.django_db
def test_a_street_officer_may_name_a_co_officer_of_the_district_above(squad, district):
    street = five_callers(role=Role.OFFICER, organization=squad).insider
    above = user_with(role=Role.SQUAD_LEADER, organization=district)
    assert pk_error(s.RecordCreateSerializer, street, "co_officer", above.pk, city_code="X", answers=[]) == []


@pytest.mark.django_db
def test_an_unpublished_draw_is_named_only_in_its_jurisdiction_and_a_published_one_by_any_staff(district, squad):
    callers = five_callers(role=Role.SQUAD_LEADER, organization=district)
    draw = services.draw_create(user=_user("dc_dispatcher"), region_code="110101", place_kinds=["restaurant", "shop"], place_count=1)
    assert_scoped(s.RecordCreateSerializer, callers, "draw", draw.pk, city_code="X", answers=[])
    services.draw_publish(user=_user("dc_dispatcher"), draw=draw)
    street = five_callers(role=Role.OFFICER, organization=squad).insider
    assert pk_error(s.RecordCreateSerializer, street, "draw", draw.pk, city_code="X", answers=[]) == []


@pytest.fixture
def stall(db, dhm_place):
    """A place in 东华门 that no business operates (so the persona merchant has nothing to do with it)."""
    from apps.gbcp import services as gbcp

    return gbcp.place_create(user=None, name="东华门无主摊位", kind=dhm_place.kind, space=dhm_place.space, point=dhm_place.point,
                             address="东华门大街20号")


@pytest.mark.django_db
def test_a_self_check_names_a_place_the_caller_may_see(squad, stall, dhm_place, merchant):
    assert_scoped(s.SelfCheckCreateSerializer, five_callers(role=Role.OFFICER, organization=squad), "place", stall.pk, answers=[])
    assert pk_error(s.SelfCheckCreateSerializer, merchant, "place", dhm_place.pk, answers=[]) == []  # the place of its business


@pytest.mark.django_db
def test_a_patrol_names_a_grid_of_the_callers_jurisdiction(squad):
    grid = Grid.objects.filter(region__code__startswith=squad.region.code).order_by("id").first()
    assert grid is not None, "the demo has no grid in 东华门"
    assert_scoped(s.PatrolStartSerializer, five_callers(role=Role.OFFICER, organization=squad), "grid", grid.pk)


def _same_as_not_there(response, missing, pk):
    def text(answer, value):
        return re.sub(rf"(?<!\d){value}(?!\d)", "?", json.dumps(answer.json(), ensure_ascii=False))

    return (response.status_code, text(response, pk)) == (missing.status_code, text(missing, MISSING))


@pytest.mark.django_db
def test_over_http_another_districts_pk_answers_exactly_like_a_missing_one(api_as, squad, dhm_place, answers_for):
    outsider = five_callers(role=Role.OFFICER, organization=squad).outsider
    client = api_as(outsider)
    grid = Grid.objects.filter(region__code__startswith=squad.region.code).order_by("id").first()
    officer2 = _user("dhm_officer2")
    cases = [
        ("/api/inspection/records/", {"city_code": dhm_place.city_code, "answers": answers_for(dhm_place)}, "co_officer", officer2.pk),
        ("/api/inspection/self-checks/", {"answers": answers_for(dhm_place)}, "place", dhm_place.pk),
        ("/api/inspection/plans/patrol/", {}, "grid", grid.pk),
    ]
    for path, body, field, pk in cases:
        theirs = client.post(path, {**body, field: pk}, format="json")
        missing = client.post(path, {**body, field: MISSING}, format="json")
        assert theirs.status_code == 400 and _same_as_not_there(theirs, missing, pk), (path, theirs.content)

