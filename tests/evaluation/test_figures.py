"""Every figure of docs/EVALUATION.md against the hand-counted world of conftest.py (March 2026)."""
from datetime import date

import pytest

from apps.evaluation import services
from apps.evaluation.figures import Ratio, Tally, attainment, competition_ranks, response_score, staffing_match, weighted_score
from apps.evaluation.periods import Period, parse_period, period_of
from apps.gbcp.errors import ApplicationError
from tests.evaluation.conftest import at

MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))
pytestmark = pytest.mark.django_db


def test_the_three_rates_and_three_degrees_of_squad_a(world):
    card = services.scorecard_live(unit=world.a, period=MARCH)
    t = card.tally
    # Cohort: t1 t2 t3 t4 t5 t9 t10 (t5 crosses the month's end and stays in March; t6, t7 lie outside; t8 is merged).
    assert (t.received, t.reached, t.accepted, t.closed, t.solved) == (7, 6, 4, 4, 3)
    assert (t.rated, t.rated_satisfied, t.rated_basic, t.rated_dissatisfied, t.unrated) == (3, 1, 1, 1, 1)
    assert (t.first_time_right, t.reopened) == (4, 1)
    f = card.figures
    assert f["response_rate"].value == pytest.approx(4 / 6)
    assert f["solution_rate"].value == pytest.approx(3 / 6)
    assert f["satisfaction_rate"].value == pytest.approx(2 / 3)
    assert f["responsiveness"].value == pytest.approx((0.875 + 0 + 0.75 + 0.75) / 4)
    assert f["routing_fit"].value == pytest.approx(4 / 6)
    assert f["rating_share"].value == pytest.approx(3 / 4)
    # 匹配度: A has 2 officers and 6 tasks; the bureau (A, B, C) 3 officers and 7 tasks.
    assert card.officers == 2
    assert f["staffing_match"].value == pytest.approx((7 / 3) / 3)
    # Minutes to accept of t1, t2, t5, t9: 30, 540, 30, 360 → median 195.
    assert card.median_accept_minutes == 195.0


def test_case_quality_of_squad_a(world):
    card = services.scorecard_live(unit=world.a, period=MARCH)
    assert card.cases["reviewed"] == 3  # case4 was first reviewed in February
    assert card.figures["legal_return_rate"].value == pytest.approx(2 / 3)
    assert card.figures["review_change_rate"].value == pytest.approx(1 / 3)
    assert card.cases["review_returns"] == 2


def test_whistle_lateness_of_the_department(world):
    card = services.scorecard_live(unit=world.dept, period=MARCH)
    t = card.tally
    assert (t.summons, t.summons_on_time, t.summons_late, t.summons_late_minutes, t.summons_missing, t.summons_waiting) == (3, 1, 1, 17, 1, 0)
    assert card.figures["whistle_on_time_rate"].value == pytest.approx(1 / 3)
    assert card.figures["whistle_mean_late_minutes"].value == 17


def test_a_summons_not_yet_due_is_in_no_rate(world):
    today = period_of("month", world.s_wait.due_at.date())
    card = services.scorecard_live(unit=world.dept, period=today)
    assert (card.tally.summons, card.tally.summons_waiting) == (1, 1)
    assert card.figures["whistle_on_time_rate"].value is None


def test_no_tasks_gives_dash_not_zero(world):
    card = services.scorecard_live(unit=world.b, period=MARCH)  # t9 was B's before the referral: it counts for A only
    assert card.tally.received == 0
    for key in ("response_rate", "solution_rate", "satisfaction_rate", "responsiveness", "routing_fit", "staffing_match"):
        assert card.figures[key].value is None
        assert card.figures[key].percent() == "—"


def test_all_unrated_leaves_satisfaction_undefined_and_shows_the_unrated(world):
    card = services.scorecard_live(unit=world.c, period=MARCH)
    assert (card.tally.closed, card.tally.rated, card.tally.unrated) == (1, 0, 1)
    assert card.figures["satisfaction_rate"].value is None
    assert card.figures["solution_rate"].value == 1
    assert card.figures["responsiveness"].value is None  # no deadline to measure against
    assert card.figures["staffing_match"].value == 0  # tasks and no officers


def test_the_bureau_holds_its_squads(world):
    card = services.scorecard_live(unit=world.bureau, period=MARCH)
    assert (card.tally.received, card.tally.reached, card.tally.solved) == (8, 7, 4)
    assert card.figures["staffing_match"].value is None  # no parent to compare with


def test_reopened_task_counts_in_its_own_period(world):
    april = services.scorecard_live(unit=world.a, period=Period(date(2026, 4, 1), date(2026, 4, 30)))
    assert april.tally.received == 1  # t6 only; t5 (accepted in April) stays with March
    feb = services.scorecard_live(unit=world.a, period=period_of("day", date(2026, 2, 28)))
    assert feb.tally.received == 1


def test_pure_formulas():
    assert response_score(at(3, 1, 9), at(3, 1, 10), at(3, 1, 13)) == 750000
    assert response_score(at(3, 1, 9), at(3, 1, 14), at(3, 1, 13)) == 0
    assert response_score(at(3, 1, 9), at(3, 1, 10), None) is None
    assert Ratio(1, 0).percent() == "—" and Ratio(1, 3).percent() == "33.3 %"
    assert staffing_match(0, 0, 10, 5).value is None and staffing_match(5, 0, 10, 5).value == 0
    assert staffing_match(4, 2, 10, 5).value == 1
    assert attainment(0.6, 0.8, "higher") == pytest.approx(0.75) and attainment(0.9, 0.8, "higher") == 1
    assert attainment(20, 10, "lower") == 0.5 and attainment(5, 10, "lower") == 1 and attainment(None, 1, "higher") is None
    assert weighted_score([(2, 1.0), (1, 0.4)]) == (pytest.approx(80.0), False)
    assert weighted_score([(2, 1.0), (1, None)]) == (pytest.approx(100.0), True)
    assert weighted_score([(1, None)]) == (None, True)
    assert competition_ranks([90, None, 95, 90, 10]) == [2, None, 1, 2, 4]
    t = Tally()
    t += Tally(received=2, closed=1)
    assert t.as_dict()["received"] == 2 and t.unrated == 1


def test_periods():
    assert period_of("week", date(2026, 3, 4)) == Period(date(2026, 3, 2), date(2026, 3, 8), "week")
    assert period_of("quarter", date(2026, 11, 27)) == Period(date(2026, 10, 1), date(2026, 12, 31), "quarter")
    assert period_of("month", date(2026, 2, 10)).last == date(2026, 2, 28)
    assert parse_period({"from": "2026-03-01", "to": "2026-03-31"}) == MARCH
    with pytest.raises(ApplicationError):
        parse_period({"from": "2026-03-31", "to": "2026-03-01"})
    with pytest.raises(ApplicationError):
        parse_period({"from": "9999-12-31"})
    with pytest.raises(ApplicationError):
        parse_period({"period": "quarter", "at": "2026-13-01"})
