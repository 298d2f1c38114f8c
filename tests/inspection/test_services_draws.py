"""双随机 draws: recorded inputs, replay, tamper detection, conflicts respected, staff only."""
import pytest

from apps.gbcp.errors import ApplicationError, NotFound
from apps.gbcp.models import Place
from apps.inspection import services
from apps.inspection.models import Draw

KINDS = [Place.Kind.RESTAURANT, Place.Kind.SHOP, Place.Kind.MARKET]


@pytest.fixture
def draw(insider):
    return services.draw_create(user=insider, region_code="110101", place_kinds=KINDS, place_count=3, title="测试抽查")


@pytest.mark.django_db
def test_a_draw_records_its_seed_inputs_and_replays_to_the_same_result(draw):
    assert len(draw.seed_hex) == 64 and draw.algorithm.startswith("sha256-ctr")
    assert [c[0] for c in draw.candidates] == sorted(c[0] for c in draw.candidates)
    assert len(draw.result) == 3 and all(len(set(r["inspectors"])) == 2 for r in draw.result)
    assert services.draw_replay(draw=Draw.objects.get(pk=draw.pk)) == {"match": True}


@pytest.mark.django_db
def test_a_result_changed_in_the_database_is_detected(draw):
    result = [dict(r) for r in draw.result]
    result[0]["inspectors"] = list(reversed(result[0]["inspectors"]))
    Draw.objects.filter(pk=draw.pk).update(result=result)
    replay = services.draw_replay(draw=Draw.objects.get(pk=draw.pk))
    assert replay["match"] is False
    assert replay["differences"][0]["position"] == 0 and replay["differences"][0]["stored"] == result[0]


@pytest.mark.django_db
def test_changed_inputs_are_detected_by_their_digest(draw):
    candidates = [list(c) for c in draw.candidates]
    candidates[0][1] = "5.0"
    Draw.objects.filter(pk=draw.pk).update(candidates=candidates)
    replay = services.draw_replay(draw=Draw.objects.get(pk=draw.pk))
    assert replay["match"] is False and replay["differences"][0]["field"] == "inputs_sha256"


@pytest.mark.django_db
def test_a_tampered_draw_is_not_published(draw, insider):
    Draw.objects.filter(pk=draw.pk).update(result=list(reversed(draw.result)))
    with pytest.raises(ApplicationError) as err:
        services.draw_publish(user=insider, draw=Draw.objects.get(pk=draw.pk))
    assert err.value.code == "draw_tampered"


@pytest.mark.django_db
@pytest.mark.parametrize("n", range(6))
def test_no_inspector_is_drawn_for_a_place_he_is_in_conflict_with(insider, officer1, n):
    places = list(Place.objects.filter(region__code__startswith="110101", kind__in=KINDS).order_by("id"))
    for place in places[n % 2::2]:
        services.conflict_declare(user=insider, inspector=officer1, place=place, reason="亲属经营")
    draw = services.draw_create(user=insider, region_code="110101", place_kinds=KINDS, place_count=4, seed_hex=f"{n:02x}" * 32)
    conflicted = {p.pk for p in places[n % 2::2]}
    assert [officer1.pk, next(iter(conflicted))] in draw.conflicts
    for row in draw.result:
        assert not (row["place"] in conflicted and officer1.pk in row["inspectors"])
    assert services.draw_replay(draw=draw) == {"match": True}


@pytest.mark.django_db
def test_a_conflict_with_a_business_covers_its_places(insider, officer1, dhm_place):
    services.conflict_declare(user=insider, inspector=officer1, entity=dhm_place.operator, reason="曾任职")
    draw = services.draw_create(user=insider, region_code="110101001", place_kinds=KINDS, place_count=1, seed_hex="ab" * 32)
    assert [officer1.pk, dhm_place.pk] in draw.conflicts


@pytest.mark.django_db
def test_only_qualified_inspectors_are_in_the_pool(insider, officer1, officer2):
    qualification = officer2.inspector_qualification
    qualification.certificate_valid_until = qualification.certificate_valid_until.replace(year=2000)
    qualification.save()
    draw = services.draw_create(user=insider, region_code="110101", place_kinds=KINDS, place_count=1)
    ids = [row["id"] for row in draw.pool]
    assert officer1.pk in ids and officer2.pk not in ids
    assert all(row["code"] for row in draw.pool)


@pytest.mark.django_db
def test_an_outsider_cannot_draw_in_another_district_and_an_officer_cannot_draw(outsider, officer1):
    with pytest.raises(NotFound):
        services.draw_create(user=outsider, region_code="110101", place_kinds=KINDS, place_count=1)
    with pytest.raises(ApplicationError) as err:
        services.draw_create(user=officer1, region_code="110101001", place_kinds=KINDS, place_count=1)
    assert err.value.status_code == 403


@pytest.mark.django_db
def test_an_inspection_carries_out_a_published_draw_and_its_result_is_made_public(insider, officer1, officer2, dhm_place, answers_for):
    from django.test import Client

    from apps.gbcp.models import Place

    # Every restaurant of the street is drawn (the demo has its own there besides this test's), so this one is in it.
    restaurants = Place.objects.filter(kind="restaurant", region__code__startswith="110101001").count()
    draw = services.draw_create(user=insider, region_code="110101001", place_kinds=["restaurant"], place_count=restaurants, title="东华门抽查")
    with pytest.raises(ApplicationError) as err:
        services.inspection_record(user=officer1, place=dhm_place, co_officer=officer2, answers=answers_for(dhm_place), draw=draw)
    assert err.value.code == "not_in_draw"
    services.draw_publish(user=insider, draw=draw)
    assert "尚未巡查" in Client().get(f"/inspection/public/draws/{draw.pk}/").content.decode()
    record = services.inspection_record(user=officer1, place=dhm_place, co_officer=officer2, answers=answers_for(dhm_place, failed=(0,)), draw=draw)
    assert record.draw == draw
    page = Client().get(f"/inspection/public/draws/{draw.pk}/").content.decode()
    assert "发现问题" in page and dhm_place.name in page
