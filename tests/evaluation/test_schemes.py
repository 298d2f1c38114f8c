"""内部监督考核: weighted attainment by hand, ranks, publishing, and the XLSX exports opened with openpyxl."""
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from apps.evaluation import services
from apps.evaluation.figures import FIGURES
from apps.evaluation.models import AssessmentScheme, Indicator
from apps.evaluation.services.export import COUNT_COLUMNS
from apps.evaluation.periods import Period
from apps.gbcp.errors import ApplicationError
from apps.gbcp.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def scheme(world):
    services.rebuild_range(date(2026, 3, 1), date(2026, 3, 31))
    scheme = AssessmentScheme.objects.create(name="2026年3月街道执法队考核", unit_kind="street", region=Region.objects.get(code="110101"),
                                             period_start=date(2026, 3, 1), period_end=date(2026, 3, 31))
    Indicator.objects.create(scheme=scheme, figure="response_rate", weight=Decimal("2"), target=Decimal("0.8"))
    Indicator.objects.create(scheme=scheme, figure="satisfaction_rate", weight=Decimal("1"), target=Decimal("0.9"))
    Indicator.objects.create(scheme=scheme, figure="solution_rate", weight=Decimal("1"), target=Decimal("0.5"))
    return scheme


def test_scores_are_weighted_attainment(world, scheme):
    ranking = {r.unit.pk: r for r in services.scheme_ranking(scheme=scheme, units=[world.a, world.b, world.c])}
    a = ranking[world.a.pk]
    # A: response 4/6 → (4/6)/0.8; satisfaction 2/3 → (2/3)/0.9; solution 3/6 → 1 (capped).
    expected_a = 100 * (2 * (4 / 6) / 0.8 + 1 * (2 / 3) / 0.9 + 1 * 1.0) / 4
    assert a.score == pytest.approx(expected_a) and not a.incomplete
    # C: response 1/1 → 1; satisfaction undefined (all unrated) → left out; solution 1 → 1.
    c = ranking[world.c.pk]
    assert c.score == pytest.approx(100.0) and c.incomplete
    # B: no tasks → no score, no rank.
    assert ranking[world.b.pk].score is None and ranking[world.b.pk].rank is None
    assert (c.rank, a.rank) == (1, 2)


def test_ranking_lists_scored_units_first(world, scheme):
    ranking = services.scheme_ranking(scheme=scheme, units=[world.b, world.a, world.c])
    assert [r.unit.pk for r in ranking] == [world.c.pk, world.a.pk, world.b.pk]


def test_default_units_are_the_squads_of_the_region(world, scheme):
    units = {r.unit.pk for r in services.scheme_ranking(scheme=scheme)}
    assert {world.a.pk, world.b.pk, world.c.pk} <= units
    assert world.bureau.pk not in units and world.dept.pk not in units


def test_publishing_needs_an_indicator_and_the_right_person(world, scheme, analyst, admin_user):
    with pytest.raises(ApplicationError):
        services.scheme_publish(user=analyst, scheme=scheme)  # analysts read drafts, they do not publish
    services.scheme_publish(user=admin_user, scheme=scheme)
    scheme.refresh_from_db()
    assert scheme.published and scheme.published_at is not None
    empty = AssessmentScheme.objects.create(name="空方案", unit_kind="district", region=scheme.region, period_start=date(2026, 3, 1), period_end=date(2026, 3, 31))
    with pytest.raises(ApplicationError) as exc:
        services.scheme_publish(user=admin_user, scheme=empty)
    assert exc.value.code == "no_indicators"


def test_ranking_xlsx_carries_the_numbers(world, scheme):
    ranking = services.scheme_ranking(scheme=scheme, units=[world.a, world.b, world.c])
    ws = load_workbook(BytesIO(services.rankings_xlsx(scheme=scheme, ranking=ranking))).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == scheme.name
    body = {row[1]: row for row in rows[2:]}
    assert body[world.a.name][0] == 2 and body[world.a.name][3] == pytest.approx(round(ranking[1].score, 2))
    assert body[world.a.name][4] == pytest.approx(4 / 6)
    assert body[world.b.name][3] is None  # "—" is an empty cell, never 0


def test_scorecard_xlsx_carries_the_numbers(world):
    card = services.scorecard_live(unit=world.a, period=Period(date(2026, 3, 1), date(2026, 3, 31)))
    ws = load_workbook(BytesIO(services.scorecards_xlsx(cards=[card], title="测试"))).active
    rows = list(ws.iter_rows(values_only=True))
    header, row = rows[1], rows[2]
    values = dict(zip(header, row))
    assert row[0] == world.a.name
    assert values[str(COUNT_COLUMNS[0][1])] == 7
    rate_column = header.index(str(FIGURES["response_rate"]))
    assert row[rate_column] == pytest.approx(4 / 6)
    assert ws.cell(row=3, column=rate_column + 1).number_format == "0.0%"


def test_the_big_screen_shows_the_newest_published_ranking_and_nothing_before_one(world, scheme, admin_user, client):
    from django.core.cache import cache

    from apps.accounts.models import Role
    from apps.analytics import screen
    from tests.personas import user_with

    leader = user_with(name="screen-leader", role=Role.LEADER, organization=world.bureau)
    cache.clear()
    assert screen.compute(user=leader)["rankings"] is None  # a draft is not shown on the wall
    services.scheme_publish(user=admin_user, scheme=scheme)

    shown = screen.compute(user=leader)["rankings"]
    assert shown["scheme"] == scheme.name and (shown["period_start"], shown["period_end"]) == ("2026-03-01", "2026-03-31")
    expected = [(r.rank, r.unit.name, None if r.score is None else round(r.score, 1)) for r in services.scheme_ranking(scheme=scheme)][:10]
    assert [(row["rank"], row["unit"], row["score"]) for row in shown["rows"]] == expected
    assert shown["rows"][0]["unit"] == world.c.name and shown["rows"][0]["rank"] == 1
    client.force_login(leader)
    body = client.get("/api/analytics/screen/").json()
    assert body["rankings"]["scheme"] == scheme.name
    cache.clear()
