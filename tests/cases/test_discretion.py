"""Discretion (裁量基准), time bar (art. 36) and late fee (art. 72): pure rules."""
import datetime as dt
from decimal import Decimal

import pytest

from apps.cases.discretion import late_fee, propose_penalty, time_bar


@pytest.mark.django_db
def test_a_first_slight_violation_corrected_at_once_goes_unpunished(vendor_cause):
    proposal = propose_penalty(cause=vendor_cause, facts={"harm": "slight", "first_offence": True, "corrected_promptly": True})
    assert proposal.exempt and proposal.amount == 0
    assert proposal.reasons == ["首次违法、危害后果轻微并及时改正，依《行政处罚法》第三十三条第一款可以不予行政处罚"]


@pytest.mark.django_db
def test_mitigating_facts_take_the_lower_end_and_aggravating_the_upper_end(vendor_cause):
    low = propose_penalty(cause=vendor_cause, facts={"harm": "ordinary", "mitigating": ["eliminated_consequences"]})
    high = propose_penalty(cause=vendor_cause, facts={"harm": "ordinary", "aggravating": ["refused_correction"]})
    middle = propose_penalty(cause=vendor_cause, facts={"harm": "ordinary"})
    assert (low.level, low.amount) == ("ordinary", Decimal("200"))
    assert (high.level, high.amount) == ("ordinary", Decimal("3000"))
    assert middle.amount == Decimal("1600")
    assert any("第三十二条" in r for r in low.reasons) and any("拒不改正" in r for r in high.reasons)


@pytest.mark.django_db
def test_repeated_violations_raise_the_level(vendor_cause):
    proposal = propose_penalty(cause=vendor_cause, facts={"harm": "ordinary", "repeat_count": 2})
    assert proposal.level == "serious" and proposal.amount >= Decimal("3000")


@pytest.mark.django_db
def test_a_first_slight_violation_not_yet_corrected_gets_a_warning_where_the_level_allows(vendor_cause):
    proposal = propose_penalty(cause=vendor_cause, facts={"harm": "slight", "first_offence": True})
    assert proposal.warning and proposal.amount == 0 and proposal.level == "slight"


@pytest.mark.django_db
def test_a_missing_level_falls_back_to_the_nearest(gas_cause):
    proposal = propose_penalty(cause=gas_cause, facts={"harm": "slight"})
    assert proposal.level == "ordinary" and any("未设" in r for r in proposal.reasons)


@pytest.mark.django_db
def test_the_time_bar_is_two_years_and_five_for_serious_harm_with_consequences(vendor_cause, gas_cause):
    discovered = dt.date(2026, 6, 1)
    two_years = {"violation_date": "2024-06-01", "discovered_on": discovered}
    just_over = {"violation_date": "2024-05-31", "discovered_on": discovered}
    assert time_bar(cause=vendor_cause, facts=two_years) == (False, 2)
    assert time_bar(cause=vendor_cause, facts=just_over) == (True, 2)
    assert time_bar(cause=gas_cause, facts={**just_over, "consequences": True}) == (False, 5)
    assert time_bar(cause=gas_cause, facts={**just_over, "consequences": False}) == (True, 2)
    assert time_bar(cause=gas_cause, facts={"violation_date": "2021-05-31", "discovered_on": discovered, "consequences": True}) == (True, 5)
    proposal = propose_penalty(cause=vendor_cause, facts={"harm": "serious", **just_over})
    assert proposal.time_barred and proposal.exempt and "第三十六条" in proposal.findings[0]


def test_the_late_fee_is_three_percent_a_day_and_never_above_the_fine():
    due = dt.date(2026, 3, 1)
    assert late_fee(fine=Decimal("1000"), due_date=due, on_date=due) == Decimal("0.00")
    assert late_fee(fine=Decimal("1000"), due_date=due, on_date=due + dt.timedelta(days=1)) == Decimal("30.00")
    assert late_fee(fine=Decimal("1000"), due_date=due, on_date=due + dt.timedelta(days=20)) == Decimal("600.00")
    assert late_fee(fine=Decimal("1000"), due_date=due, on_date=due + dt.timedelta(days=33)) == Decimal("990.00")
    assert late_fee(fine=Decimal("1000"), due_date=due, on_date=due + dt.timedelta(days=34)) == Decimal("1000.00")
    assert late_fee(fine=Decimal("1000"), due_date=due, on_date=due + dt.timedelta(days=400)) == Decimal("1000.00")
