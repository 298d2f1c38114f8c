"""The backtest of the risk model on a small hand-made history whose answer is worked out by hand."""
import datetime as dt
import io

import pytest
from django.core.management import call_command

from apps.credit import services
from apps.credit.backtest import run_backtest
from apps.credit.models import CreditRecord
from apps.gbcp import services as gbcp
from apps.gbcp.models import Entity, Place, Region
from tests.credit.conftest import _uscc

SPLIT = dt.date(2025, 6, 1)
D = dt.date


@pytest.fixture
def history(db):
    """Six places. Before the split (window 365 days), as the model would have rated them on the split day:

    - lamps L1, L2: street lamp 5; L1's only finding is older than the window → 5, low.
    - restaurants M1, M2 without operator: 30, medium.
    - restaurant H without operator: 30 + 3 findings × 4 + latest 12 days ago +10 = 52, high.
    - construction site V, operator graded D on the split day (base 80, imported −25 → 55; a commendation after the split
      does not count): 35 + 2 findings × 4 + latest 7 days ago +10 + grade D 20 = 73, very high.
    After the split (365 days): M1 a complaint upheld; M2 only a withdrawn finding and one after the period; H one finding
    (and one withdrawn); V one finding. Rates: low 0/2, medium 1/2, high 1/1, very high 1/1.
    """
    street = Region.objects.get(code="110101001")
    holder = Entity.objects.create(name="回测记录主体", uscc=_uscc(900), region=street)
    operator = Entity.objects.create(name="回测工地单位", uscc=_uscc(901), region=street)
    centre = street.boundary.buffer(-0.002).point_on_surface

    def place(name, kind, operator=None):
        return gbcp.place_create(user=None, name=name, kind=kind, space=Place.Space.PRODUCTION, point=centre, address="回测路1号",
                                 operator=operator)

    p = {"L1": place("回测路灯1", Place.Kind.STREET_LAMP), "L2": place("回测路灯2", Place.Kind.STREET_LAMP),
         "M1": place("回测餐厅1", Place.Kind.RESTAURANT), "M2": place("回测餐厅2", Place.Kind.RESTAURANT),
         "H": place("回测餐厅3", Place.Kind.RESTAURANT), "V": place("回测工地", Place.Kind.CONSTRUCTION_SITE, operator)}
    n = iter(range(1000))

    def finding(key, day, entity=holder):
        return services.record_inspection_finding(entity=entity, source_ref=f"bt.Finding:{next(n)}", found_on=day, place=p[key])

    finding("L1", D(2024, 1, 1))
    for day in (D(2025, 5, 1), D(2025, 5, 10), D(2025, 5, 20)):
        finding("H", day)
    finding("V", D(2025, 5, 1), operator)
    finding("V", D(2025, 5, 25), operator)
    services.record_imported(entity=operator, source_ref="bt.import:1", department="市住建委", weight=-25, occurred_on=D(2025, 1, 1),
                             expires_on=D(2027, 1, 1))
    services.record_commendation(entity=operator, source_ref="bt.Commendation:1", commended_on=D(2025, 7, 1))
    services.record_complaint_upheld(entity=holder, source_ref="bt.Complaint:1", upheld_on=D(2025, 7, 1), place=p["M1"])
    gone = [finding("M2", D(2025, 8, 1)), finding("H", D(2025, 8, 2))]
    CreditRecord.objects.filter(pk__in=[r.pk for r in gone]).update(status=CreditRecord.Status.WITHDRAWN)
    finding("M2", D(2026, 7, 1))  # after the period
    finding("H", D(2025, 9, 1))
    finding("V", D(2025, 8, 1), operator)
    return p


@pytest.mark.django_db
def test_backtest_levels_and_rates_on_a_known_history(history):
    result = run_backtest(split=SPLIT, places=Place.objects.filter(pk__in=[pl.pk for pl in history.values()]))
    assert {key: result.levels_by_place[pl.pk] for key, pl in history.items()} == {
        "L1": "low", "L2": "low", "M1": "medium", "M2": "medium", "H": "high", "V": "very_high"}
    figures = {row.level: (row.places, row.with_problem, row.rate, row.problems) for row in result.rows}
    assert figures == {"low": (2, 0, 0.0, 0), "medium": (2, 1, 0.5, 1), "high": (1, 1, 1.0, 1), "very_high": (1, 1, 1.0, 1)}
    assert result.increasing and not result.strictly_increasing
    assert result.window_days == 365 and result.after_days == 365


@pytest.mark.django_db
def test_a_shorter_period_and_a_falling_rate_are_reported(history):
    places = Place.objects.filter(pk__in=[pl.pk for pl in history.values()])
    result = run_backtest(split=SPLIT, after_days=45, places=places)  # until 2025-07-16: only M1's complaint
    figures = {row.level: (row.places, row.with_problem) for row in result.rows}
    assert figures == {"low": (2, 0), "medium": (2, 1), "high": (1, 0), "very_high": (1, 0)}
    assert not result.increasing


@pytest.mark.django_db
def test_the_command_prints_the_table_and_the_caveat(history):
    out = io.StringIO()
    call_command("credit_backtest", "--split", SPLIT.isoformat(), stdout=out)
    text = out.getvalue()
    for word in ("low", "medium", "high", "very_high", "rates increase with the level:", "demo data the history is generated"):
        assert word in text
