"""Place risk part by part; the draw weights and patrol intervals follow the levels, and draws replay from their seed."""
import datetime as dt

import pytest
from django.utils import timezone

from apps.credit import services
from apps.credit.models import PlaceRisk
from apps.gbcp.models import Place
from apps.inspection import services as inspection
from apps.inspection.models import Draw
from apps.inspection.services._common import place_risk_weights

TODAY = timezone.localdate()


@pytest.mark.django_db
def test_the_history_passed_in_by_the_caller_is_used_part_by_part(restaurant, business):
    services.recompute_grade(entity=business)  # B (80), 0 points
    risk = services.recompute_place_risk(place=restaurant, history={"findings": 2, "complaints": 1, "cases": 1,
                                                                    "last_at": TODAY - dt.timedelta(days=45)})
    # restaurant 30 + 2*4 + 1*3 + 1*6 + grade B 0 + within 90 days 5 = 52: high
    assert [(p["part"], p["figure"]) for p in risk.parts] == [
        ("inherent", 30), ("findings", 8), ("complaints", 3), ("cases", 6), ("operator_grade", 0), ("recency", 5)]
    assert (risk.score, risk.level) == (52, "high") and risk.region_code.startswith("110101001")


@pytest.mark.django_db
def test_without_a_history_credit_counts_what_it_was_told_about_the_place(restaurant, business):
    services.record_inspection_finding(entity=business, source_ref="test.Finding:800", place=restaurant, found_on=TODAY - dt.timedelta(days=3))
    services.record_inspection_finding(entity=business, source_ref="test.Finding:801", place=restaurant, found_on=TODAY - dt.timedelta(days=400))
    services.record_penalty_decision(entity=business, source_ref="test.Case:800", fine=500, place=restaurant, decided_on=TODAY - dt.timedelta(days=10))
    grade = services.recompute_grade(entity=business)  # 80 - 3 - 3 - 10 = 64: C, and its places follow
    risk = PlaceRisk.objects.get(place=restaurant)
    # 30 + one finding in the window 4 + one case 6 + grade C 10 + latest 3 days ago 10 = 60: high
    assert grade.grade == "C"
    assert [(p["part"], p["figure"]) for p in risk.parts] == [
        ("inherent", 30), ("findings", 4), ("complaints", 0), ("cases", 6), ("operator_grade", 10), ("recency", 10)]
    assert (risk.score, risk.level) == (60, "high")
    assert services.recompute_place_risk(place=restaurant).pk == risk.pk and risk.history.count() == 1  # unchanged: no new history


@pytest.mark.django_db
def test_a_place_without_an_operator_says_so(db):
    place = Place.objects.filter(operator__isnull=True, region__code__startswith="110101").select_related("region").first()
    score, level, parts = services.place_risk(place=place, history={})
    assert parts[4] == {"part": "operator_grade", "figure": 0, "basis": {"grade": None, "operator": False}}


def _rate(places, level):
    for place in places:
        PlaceRisk.objects.update_or_create(place=place, defaults={"region_code": place.region.code, "level": level, "score": 0, "parts": [],
                                                                  "ruleset": services.ruleset_current()})


@pytest.mark.django_db
def test_draw_weights_follow_the_levels_and_the_draw_replays_from_its_seed(insider, django_assert_max_num_queries):
    places = list(Place.objects.filter(region__code__startswith="110101", kind="shop", is_active=True).select_related("region").order_by("id"))
    assert len(places) >= 2
    _rate(places[:1], "very_high")
    _rate(places[1:], "low")
    draw = inspection.draw_create(user=insider, region_code="110101", place_kinds=["shop"], place_count=1, seed_hex="ab" * 32)
    weights = dict((pk, float(w)) for pk, w in draw.candidates)
    assert weights[places[0].pk] == 4.0 and all(weights[p.pk] == 1.0 for p in places[1:])
    assert inspection.draw_replay(draw=draw) == {"match": True}
    # Risk changing later does not change what the stored draw replays to.
    _rate(places, "medium")
    assert inspection.draw_replay(draw=Draw.objects.get(pk=draw.pk)) == {"match": True}
    again = inspection.draw_create(user=insider, region_code="110101", place_kinds=["shop"], place_count=1, seed_hex="ab" * 32)
    assert {float(w) for _pk, w in again.candidates} == {2.0}
    # The weights are read in one query, however many places.
    with django_assert_max_num_queries(1):
        assert set(place_risk_weights([p.pk for p in places]).values()) == {2.0}


@pytest.mark.django_db
def test_a_high_level_shortens_the_patrol_interval_to_its_longest(insider):
    plan = inspection.plan_create(user=insider, name="风险计划", region_code="110101", place_kinds=["shop"], interval_days=90)
    places = list(inspection.plan_places(plan))
    _rate(places[:1], "very_high")
    _rate(places[1:2], "high")
    _rate(places[2:], "low")
    intervals = inspection.place_interval_days(plan, places)
    assert intervals[places[0].pk] == 14 and intervals[places[1].pk] == 30 and all(intervals[p.pk] == 90 for p in places[2:])
