"""The figures on a history counted by hand: the peak matrix with holidays, hot spots on a lattice, growth, forecast."""
import numpy as np
import pytest
from shapely.geometry import box

from apps.analytics import forecast, growth, hotspots, peaks
from apps.analytics.filters import parse_filters
from apps.analytics.services import CityWide
from apps.gbcp.models import CalendarDay
from tests.analytics.conftest import at

pytestmark = pytest.mark.django_db


def test_the_peak_matrix_counts_holidays_as_their_own_row(write_history, dc_grids, categories, django_assert_max_num_queries):
    CalendarDay.objects.filter(date__range=("2025-04-27", "2025-05-03")).delete()  # this week's calendar is the test's own
    CalendarDay.objects.update_or_create(date="2025-05-01", defaults={"is_workday": False, "note": "劳动节"})  # a Thursday
    CalendarDay.objects.update_or_create(date="2025-04-27", defaults={"is_workday": True, "note": "调休"})  # a Sunday
    g, c = dc_grids[0], categories[0]
    write_history([
        (at(2025, 4, 28, 10), g, c, "hotline"), (at(2025, 4, 28, 10, 30), g, c, "citizen"),  # Monday 10:00 ×2
        (at(2025, 5, 1, 10), g, c, "hotline"),        # holiday (not Thursday)
        (at(2025, 4, 27, 19), g, c, "hotline"),       # make-up workday: the Monday row
        (at(2025, 5, 3, 23, 59), g, c, "patrol"),     # Saturday 23:00, local time
    ])
    filters = parse_filters({"from": "2025-04-27", "to": "2025-05-03", "region": "110101"})
    with django_assert_max_num_queries(4):  # region, calendar, one GROUP BY (+ calendar again for the divisors)
        data = peaks.peak_times(user=CityWide(), filters=filters)
    counts = data["counts"]
    assert counts[0][10] == 2 and counts[0][19] == 1   # Monday row (the make-up Sunday counts there)
    assert counts[7][10] == 1 and counts[3][10] == 0   # 节假日 row, not Thursday
    assert counts[5][23] == 1 and counts[6][19] == 0   # Saturday 23:xx; Sunday row empty
    assert data["days"] == [2, 1, 1, 0, 1, 1, 0, 1]    # Mon + make-up Sunday; no ordinary Thursday or Sunday
    assert data["per_day"][0][10] == 1.0 and data["per_day"][3][10] is None
    assert data["total"] == 5
    source = parse_filters({"from": "2025-04-27", "to": "2025-05-03", "region": "110101", "source": "citizen"})
    assert peaks.peak_times(user=CityWide(), filters=source)["total"] == 1


def test_gi_star_finds_a_planted_cluster_and_nothing_in_noise():
    polygons = [box(x, y, x + 1, y + 1) for y in range(10) for x in range(10)]
    rng = np.random.default_rng(7)
    flat = rng.poisson(5, 100).tolist()
    assert all(s["class"] == hotspots.NOT_SIGNIFICANT for s in hotspots.gi_star(flat, polygons, q=0.05)[0])
    planted = list(flat)
    for x, y in [(1, 1), (1, 2), (2, 1), (2, 2), (1, 3), (3, 1), (2, 3), (3, 2), (3, 3)]:
        planted[y * 10 + x] += 25
    found, _perms = hotspots.gi_star(planted, polygons, q=0.05)
    assert found[22]["class"] == hotspots.HOT and found[22]["z"] > 3 and found[22]["p_fdr"] <= 0.05
    assert found[88]["class"] != hotspots.HOT
    assert all(s["p_fdr"] >= s["p"] for s in found)  # BH only ever raises p


def _lattice(side):
    return [box(x, y, x + 1, y + 1) for y in range(side) for x in range(side)]


def test_the_first_stage_is_undecided_only_when_its_resolution_could_change_bh():
    from statsmodels.stats.multitest import multipletests

    perms, q, m = 9_999, 0.01, 400  # BH's first threshold q/m = 0.000025, below the floor 2/10,000

    def undecided(p):
        p = np.asarray(p, dtype=float)
        return hotspots._undecided(p, multipletests(p, alpha=q, method="fdr_bh")[0], perms, q)

    def p_of(k):  # two-sided p of a grid with k exceedances
        return 2 * (k + 1) / (perms + 1)

    assert not undecided([0.5] * m)  # nothing near significance
    assert undecided([p_of(0)] + [0.5] * (m - 1))  # one grid at the floor, not rejected: it might be
    assert not undecided([p_of(40)] + [0.5] * (m - 1))  # 40 exceedances: resolved, and far from q/m
    # Many grids at the floor are all rejected (rank 40: threshold 0.001 ≥ 0.0002); the rest are resolved.
    assert not undecided([p_of(0)] * 40 + [p_of(200)] * (m - 40))
    # The same with an unresolved grid beside them: 5 exceedances, p 0.0012 above its threshold 0.001025 at rank 41,
    # but its lower bound (0.00032) below it.
    assert undecided([p_of(0)] * 40 + [p_of(5)] + [p_of(200)] * (m - 41))


def test_the_full_count_runs_after_an_undecided_first_stage_and_answers_as_the_full_count(monkeypatch):
    polygons = _lattice(20)  # m = 400 grids at q = 0.01: the full count is 2m/q = 80,000
    q = 0.01
    assert hotspots.permutations_for(400, q) == 80_000
    even = [4 if (i + i // 20) % 2 else 6 for i in range(400)]  # a checkerboard: every neighbourhood near the mean
    assert hotspots.gi_star(even, polygons, q=q)[1] == hotspots.FIRST_PERMUTATIONS
    cluster = np.random.default_rng(11).poisson(5, 400)
    cluster.reshape(20, 20)[3:9, 3:9] += 30
    cluster = cluster.tolist()
    monkeypatch.setattr(hotspots, "_undecided", lambda *a: True)
    two_stage, perms = hotspots.gi_star(cluster, polygons, q=q)
    assert perms == 80_000
    assert two_stage == hotspots.gi_star(cluster, polygons, q=q, permutations=80_000)[0]
    assert all(two_stage[y * 20 + x]["class"] == hotspots.HOT for y in range(4, 8) for x in range(4, 8))
    monkeypatch.setattr(hotspots, "_undecided", lambda *a: False)
    assert hotspots.gi_star(cluster + [], polygons, q=q / 2)[1] == hotspots.FIRST_PERMUTATIONS


def test_the_vectorised_draws_are_what_esda_draws():
    from scipy.stats import chisquare

    rows = hotspots._distinct_draws(8, 400, 20_000, 5)
    assert rows.shape == (20_000, 8) and rows.min() >= 0 and rows.max() <= 398  # ids of range(n - 1)
    assert all(len(set(row)) == 8 for row in rows.tolist())  # no id twice in a row
    assert (rows == hotspots._distinct_draws(8, 400, 20_000, 5)).all()  # the seed reproduces them
    assert chisquare(np.bincount(rows.ravel(), minlength=399)).pvalue > 0.001  # every id equally likely
    assert chisquare(np.bincount(rows[:, 0], minlength=399)).pvalue > 0.001  # in every position


def test_gi_star_p_values_agree_with_esdas_own_draws(monkeypatch):
    """The same lattice with esda's loop and with the vectorised draws: p-values within Monte Carlo error."""
    from esda import crand
    from esda.getisord import G_Local
    from libpysal.weights import lat2W

    y = np.random.default_rng(2).poisson(5, 225).astype(float)
    y[100:104] += 12
    w = lat2W(15, 15, rook=False)
    hotspots._use_fast_draws()
    fast = np.asarray(G_Local(y, w, transform="R", permutations=9_999, star=True, seed=3, keep_simulations=False).p_sim)
    monkeypatch.setattr(crand, "vec_permutations", crand._cityenforce_original_draws)
    slow = np.asarray(G_Local(y, w, transform="R", permutations=9_999, star=True, seed=3, keep_simulations=False).p_sim)
    # Two independent Monte Carlo estimates of each p: their difference has sd sqrt(2 p (1 - p) / P). (esda uses one
    # set of draws for every grid, so the grids' differences move together: two of esda's own runs with other
    # seeds differ as much, max |z| 2.8, mean z 0.3, against 3.3 and 0.6 here.)
    z = (fast - slow) / (np.sqrt(2 * slow * (1 - slow) / 9_999) + 1e-9)
    assert np.abs(z).max() < 5 and abs(z.mean()) < 1.5


def test_an_esda_without_the_draw_function_is_left_alone(monkeypatch):
    from esda import crand

    monkeypatch.delattr(crand, "vec_permutations", raising=False)
    monkeypatch.delattr(crand, "_cityenforce_original_draws", raising=False)
    hotspots._use_fast_draws()  # nothing to replace: no error, nothing installed
    assert not hasattr(crand, "vec_permutations")


def test_a_map_is_computed_once_for_the_same_counts_and_shapes(monkeypatch):
    polygons = _lattice(5)
    calls = []
    compute = hotspots._gi_star
    monkeypatch.setattr(hotspots, "_gi_star", lambda *a, **k: calls.append(1) or compute(*a, **k))
    counts = [1, 2, 3, 4, 5] * 5
    first = hotspots.gi_star(counts, polygons, q=0.05)
    assert hotspots.gi_star(counts, polygons, q=0.05) == first and len(calls) == 1
    hotspots.gi_star(counts[:-1] + [6], polygons, q=0.05)  # one count changed: computed again
    hotspots.gi_star(counts, _lattice(5)[:-1] + [box(4, 4, 5, 5.5)], q=0.05)  # one shape changed: again
    assert len(calls) == 3


def test_the_nightly_job_leaves_the_default_maps_in_the_cache(write_history, dc_grids, categories, monkeypatch):
    from apps.analytics import services

    write_history([(at(2025, 6, 2, 9), dc_grids[0], categories[0], "hotline")] * 3)
    filters = parse_filters({"from": "2025-06-01", "to": "2025-06-30"})
    made = services.hot_spots_warm(filters=filters)
    assert made == 1 + services.selectors.districts_for_user(user=CityWide()).count()
    calls = []
    monkeypatch.setattr(hotspots, "_gi_star", lambda *a, **k: calls.append(1))
    for region in ("", "110101"):
        hotspots.hot_spots(user=CityWide(), filters=parse_filters({"from": "2025-06-01", "to": "2025-06-30", "region": region}))
    assert calls == []


def test_an_island_grid_is_not_tested():
    polygons = [box(x, 0, x + 1, 1) for x in range(5)] + [box(100, 100, 101, 101)]
    found, _perms = hotspots.gi_star([1, 2, 3, 2, 1, 50], polygons)
    assert found[5]["class"] == hotspots.UNTESTED and found[5]["z"] is None


def test_hot_spots_cover_the_grids_of_the_region(write_history, dc_grids, categories):
    write_history([(at(2025, 6, 2, 9), dc_grids[0], categories[0], "hotline")] * 3)
    data = hotspots.hot_spots(user=CityWide(), filters=parse_filters({"from": "2025-06-01", "to": "2025-06-30", "region": "110101"}))
    assert {g["code"] for g in data["grids"]} == {g.code for g in dc_grids}
    assert next(g for g in data["grids"] if g["code"] == dc_grids[0].code)["count"] == 3
    assert hotspots.as_geojson(data)["features"][0]["geometry"]["type"] == "Polygon"


def test_the_growth_test_is_the_exact_conditional_binomial():
    from scipy.stats import binomtest
    row = growth.growth_test(30, [10, 12, 9, 11])
    assert row["baseline_mean"] == 10.5 and row["ratio"] == round(30 / 10.5, 2)
    assert row["p"] == pytest.approx(binomtest(30, 72, 0.2, alternative="greater").pvalue)
    assert growth.growth_test(11, [10, 12, 9, 11])["p"] > 0.3


def test_a_growing_category_is_found_and_a_steady_one_not(write_history, dc_grids, categories):
    g, grows, steady = dc_grids[0], categories[0], categories[1]
    items = []
    for week in range(4):  # baseline: four weeks before, 2 of each a week
        for n in range(2):
            items += [(at(2025, 2, 3 + 7 * week + n, 10), g, grows, "hotline"), (at(2025, 2, 3 + 7 * week + n, 11), g, steady, "hotline")]
    items += [(at(2025, 3, 3 + n % 7, 8 + n % 10), g, grows, "hotline") for n in range(14)]  # the week: 14
    items += [(at(2025, 3, 4, 9), g, steady, "hotline"), (at(2025, 3, 5, 9), g, steady, "hotline")]
    write_history(items)
    data = growth.growth(user=CityWide(), filters=parse_filters({"from": "2025-03-03", "to": "2025-03-09", "region": "110101"}), k=4)
    by_code = {r["category"]["code"]: r for r in data["results"]}
    assert by_code[grows.code]["growing"] and by_code[grows.code]["count"] == 14 and by_code[grows.code]["baseline"] == [2, 2, 2, 2]
    assert not by_code[steady.code]["growing"]
    assert data["results"][0]["category"]["code"] == grows.code


def test_the_model_beats_the_seasonal_naive_baseline_on_a_weekly_series():
    rng = np.random.default_rng(3)
    days = forecast.days_between(parse_filters({"from": "2025-01-01", "to": "2025-06-30"}).first, parse_filters({"to": "2025-06-30"}).last)
    y = np.array([rng.poisson(30 if d.weekday() < 5 else 12) for d in days], dtype=float)
    found = forecast.backtest(days, y, weeks=4)
    assert found["weeks"] == 4
    assert found["model"]["mae"] < found["naive"]["mae"]
    assert forecast.backtest(days[:30], y[:30], weeks=4) is None


def test_series_names_are_checked():
    assert forecast.parse_series("district:110101") == ("district", "110101")
    with pytest.raises(Exception):
        forecast.parse_series("bogus")
