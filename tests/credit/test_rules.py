"""The grade and risk formulas on hand-computed figures (no database)."""
import datetime as dt

from apps.credit import rules
from apps.credit.rules import RecordIn

TODAY = dt.date(2026, 6, 1)


def _r(pk, kind, weight, days_ago=10):
    return RecordIn(pk, kind, weight, TODAY - dt.timedelta(days=days_ago), f"r{pk}")


def test_the_grade_is_base_plus_weights_with_each_contribution_listed_largest_first():
    # 80 - 10 - 3 - 3 + 1 = 65: C (60 <= 65 < 75)
    score, grade, contributions = rules.grade_compute(base=80, a_min=90, b_min=75, c_min=60, records=[
        _r(1, rules.FINDING, -3), _r(2, rules.PENALTY, -10), _r(3, rules.SELF_CHECK, 1), _r(4, rules.FINDING, -3, days_ago=5)])
    assert (score, grade) == (65, "C")
    assert [c["record"] for c in contributions] == [2, 1, 4, 3]
    assert contributions[0] == {"record": 2, "kind": rules.PENALTY, "weight": -10, "occurred_on": "2026-05-22", "reason": "r2"}


def test_each_threshold_is_the_lowest_score_of_its_grade():
    cases = {90: "A", 89: "B", 75: "B", 74: "C", 60: "C", 59: "D", 0: "D"}
    for score, grade in cases.items():
        assert rules.grade_of(score, a_min=90, b_min=75, c_min=60) == grade, score


def test_the_score_stays_within_0_and_100():
    assert rules.grade_compute(base=80, a_min=90, b_min=75, c_min=60, records=[_r(1, rules.IMPORTED, -100)])[:2] == (0, "D")
    assert rules.grade_compute(base=80, a_min=90, b_min=75, c_min=60, records=[_r(1, rules.COMMENDATION, 50)])[:2] == (100, "A")


def test_a_penalty_weighs_by_its_size():
    w = rules.DEFAULT_WEIGHTS
    assert rules.penalty_weight(w, fine=0, warning=True, major_fine=10000) == (-4, "penalty_decision_warning")
    assert rules.penalty_weight(w, fine=500, warning=False, major_fine=10000) == (-10, "penalty_decision")
    assert rules.penalty_weight(w, fine=10000, warning=False, major_fine=10000) == (-20, "penalty_decision_major")


def test_the_risk_is_explained_part_by_part():
    # restaurant 30 + findings min(3*4, 20)=12 + complaints min(6*3, 15)=15 + cases 1*6=6 + grade C 10 + last 20 days ago 10 = 83
    score, level, parts = rules.risk_compute(place_kind="restaurant", history={"findings": 3, "complaints": 6, "cases": 1,
                                                                                "last_at": TODAY - dt.timedelta(days=20)},
                                             operator_grade="C", has_operator=True, today=TODAY)
    assert [(p["part"], p["figure"]) for p in parts] == [
        ("inherent", 30), ("findings", 12), ("complaints", 15), ("cases", 6), ("operator_grade", 10), ("recency", 10)]
    assert (score, level) == (83, "very_high")
    assert parts[2]["basis"] == {"count": 6, "per": 3, "cap": 15, "days": 365}


def test_a_quiet_place_of_a_good_business_is_low_risk_and_levels_follow_the_thresholds():
    score, level, parts = rules.risk_compute(place_kind="shop", history={}, operator_grade="A", has_operator=True, today=TODAY)
    assert (score, level) == (10, "low")  # 20 - 10
    assert parts[-1] == {"part": "recency", "figure": 0, "basis": {"days_ago": None, "within": None}}
    t = rules.DEFAULT_RISK_THRESHOLDS
    assert [rules.level_of(s, t) for s in (24, 25, 44, 45, 64, 65)] == ["low", "medium", "medium", "high", "high", "very_high"]
    # recency: 60 days ago lies within the 90-day step
    assert rules.risk_compute(place_kind="park", history={"last_at": TODAY - dt.timedelta(days=60)}, operator_grade=None, has_operator=False,
                              today=TODAY)[0] == 15


def test_levels_give_the_draw_weight_and_the_longest_interval():
    assert [rules.level_weight(lv) for lv in rules.RISK_LEVELS] == [1.0, 2.0, 3.0, 4.0]
    assert rules.level_weight(None) == 2.0 and rules.level_max_interval("very_high") == 14 and rules.level_max_interval("low") is None
