"""高发区域: Getis-Ord Gi* over the enforcement grids (esda.G_Local, star=True) with conditional-permutation p-values,
corrected by Benjamini–Hochberg over all grids tested (docs/ANALYTICS.md §2).

Weights: Queen contiguity on the grid polygons (libpysal). Grids tile their streets, so sharing an edge or a corner is
the natural neighbourhood, and unlike a distance band it does not depend on grid size (city-centre grids are small,
suburban ones large). A grid with no neighbour (an island) is reported but not tested.
"""
import hashlib
import json
import math
import sys

# pyproj's wheel carries its own PROJ and SQLite libraries; loaded beside SpatiaLite's (the embedded default) they
# corrupt the heap and the process aborts at exit ("double free or corruption"). esda and libpysal import it only for
# coordinate reference systems, which Gi* over our own polygons never uses: it is kept out of the process.
sys.modules.setdefault("pyproj", None)

import numpy as np  # noqa: E402
import shapely  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402

from apps.analytics import selectors

HOT, COLD, NOT_SIGNIFICANT, UNTESTED = "hot", "cold", "not_significant", "untested"
MAX_PERMUTATIONS = 99_999
FIRST_PERMUTATIONS = 9_999  # the first stage; the full count only when its resolution could change the answer
RESOLVED = 10  # exceedances from which a permutation p counts as resolved (relative Monte Carlo error about 1/3)


def permutations_for(tested: int, q: float) -> int:
    """Enough permutations that the smallest two-sided p-value (2 / (P + 1)) can pass BH's first threshold q / m."""
    return min(MAX_PERMUTATIONS, max(settings.ANALYTICS_PERMUTATIONS, math.ceil(2 * tested / q)))


_weights_cache = {}
RESULT_CACHE_SECONDS = 24 * 3600
RESULT_VERSION = 1  # part of the cache key of a result: raise it when the method changes


def _shape_key(polygons) -> str:
    return hashlib.sha256(b"".join(shapely.to_wkb(polygons))).hexdigest()


def _queen(polygons, key):
    """Queen contiguity of the polygons, built once per set of shapes in this process (grids rarely change, and
    building it for the city's 1,372 grids takes 0.4 s)."""
    from libpysal.weights import Queen

    found = _weights_cache.get(key)  # one read: another request's thread may clear the dict between two
    if found is None:
        if len(_weights_cache) >= 16:
            _weights_cache.clear()
        found = _weights_cache[key] = Queen.from_iterable(polygons, silence_warnings=True)
    return found


def _distinct_draws(max_card: int, n: int, k_replications: int, seed: int):
    """What ``esda.crand.vec_permutations`` returns — ``k_replications`` rows of ``max_card`` distinct ids drawn
    uniformly from range(n - 1) — drawn for all rows at once: rows holding a repeated id are drawn again until none
    does (rejection keeps every ordered row of distinct ids equally likely). Without numba, esda draws them in a
    Python loop, one ``np.random.choice`` per row: 1.2 s of the 2 s the city's 54,880 permutations take."""
    rng = np.random.default_rng(seed)
    rows = rng.integers(0, n - 1, size=(k_replications, max_card), dtype=np.int64)
    while max_card > 1:
        ordered = np.sort(rows, axis=1)
        again = (ordered[:, 1:] == ordered[:, :-1]).any(axis=1)
        if not again.any():
            break
        rows[again] = rng.integers(0, n - 1, size=(int(again.sum()), max_card), dtype=np.int64)
    return rows


def _use_fast_draws():
    """Give esda's conditional randomisation the vectorised draws when it runs without numba (this project does not
    install numba: measured slower here, compile included) and the neighbourhoods are small beside the map (rejection
    would loop when a row must hold most of the ids). Only the drawing of ids changes; the statistic is esda's."""
    from esda import crand

    original = getattr(crand, "_cityenforce_original_draws", None) or getattr(crand, "vec_permutations", None)
    if original is None or "numba" in getattr(getattr(crand, "njit", None), "__module__", ""):
        return  # numba present (esda's own compiled loop), or an esda without this function: esda's way, only slower

    def draws(max_card, n, k_replications, seed):
        if 4 * max_card > n - 1:
            return original(max_card, n, k_replications, seed)
        return _distinct_draws(max_card, n, k_replications, seed)

    crand._cityenforce_original_draws = original
    crand.vec_permutations = draws


def _permutation_p(y, w, perms, seed):
    from esda.getisord import G_Local  # scipy/statsmodels/esda load in about a second: imported where used, not at every process start

    _use_fast_draws()
    g = G_Local(y, w, transform="R", permutations=perms, star=True, seed=seed, keep_simulations=False)
    return g, np.minimum(1.0, 2 * np.asarray(g.p_sim, dtype=float))  # p_sim is one-sided toward the observed side


def _undecided(p, reject, perms, q):
    """Whether more permutations could add grids to BH's rejections: a grid not rejected whose p rests on fewer than
    RESOLVED exceedances is replaced by the lower 95 % Clopper–Pearson bound of its p (0 at no exceedance), and BH is
    run again. Grids with RESOLVED or more exceedances keep their estimate: their Monte Carlo error is what any
    finite count has at BH's border, more permutations only narrow it."""
    from scipy.stats import beta
    from statsmodels.stats.multitest import multipletests

    exceed = np.rint(p / 2 * (perms + 1)).astype(int) - 1  # p = 2 (k + 1) / (P + 1), k exceedances of one side
    loose = ~reject & (exceed < RESOLVED)
    if not loose.any():
        return False
    optimistic = p.copy()
    k = exceed[loose]
    optimistic[loose] = np.where(k > 0, 2 * beta.ppf(0.025, np.maximum(k, 1), perms - k + 1), 0.0)
    return multipletests(optimistic, alpha=q, method="fdr_bh")[0].sum() > reject.sum()


def gi_star(counts, polygons, *, q=None, permutations=None, seed=None) -> tuple[list[dict], int]:
    """Per polygon: z (Gi*), p (two-sided, permutation), p_fdr (BH-adjusted) and the class; and the number of
    permutations used. ``counts`` and ``polygons`` (shapely) are parallel lists.

    Two stages unless ``permutations`` is given: FIRST_PERMUTATIONS, then the full count of permutations_for() only
    when the first stage's resolution could change BH's answer (``_undecided``). The answer is a function of the
    counts, the shapes and the settings alone (the seed is fixed), so it is kept in the cache under exactly those:
    the big screen, the analysis page and the API asking for the same map compute it once."""
    q = settings.ANALYTICS_FDR if q is None else q
    seed = seed or settings.ANALYTICS_SEED
    if len(counts) < 3:
        return [{"z": None, "p": None, "p_fdr": None, "class": UNTESTED} for _ in counts], 0
    shapes = _shape_key(polygons)
    key = "analytics:gi:" + hashlib.sha256(json.dumps(
        [RESULT_VERSION, shapes, [float(c) for c in counts], q, permutations, seed, settings.ANALYTICS_PERMUTATIONS,
         FIRST_PERMUTATIONS, RESOLVED]).encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        found = _gi_star(counts, polygons, shapes, q=q, permutations=permutations, seed=seed)
        cache.set(key, found, timeout=RESULT_CACHE_SECONDS)
    return found


def _gi_star(counts, polygons, shapes, *, q, permutations, seed):
    from libpysal.weights import W
    from statsmodels.stats.multitest import multipletests

    n = len(counts)
    out = [{"z": None, "p": None, "p_fdr": None, "class": UNTESTED} for _ in range(n)]
    y = np.asarray(counts, dtype=float)
    queen = _queen(polygons, shapes)
    tested = [i for i in range(n) if queen.cardinalities[queen.id_order[i]] > 0]
    if len(tested) < 3 or y[tested].std() == 0:
        return out, 0
    index = {queen.id_order[i]: k for k, i in enumerate(tested)}
    neighbours = {index[queen.id_order[i]]: [index[j] for j in queen.neighbors[queen.id_order[i]] if j in index] for i in tested}
    w = W(neighbours, silence_warnings=True)
    full = permutations or permutations_for(len(tested), q)
    perms = full if permutations else min(full, max(settings.ANALYTICS_PERMUTATIONS, FIRST_PERMUTATIONS))
    g, p = _permutation_p(y[tested], w, perms, seed)
    reject, p_fdr, _s, _b = multipletests(p, alpha=q, method="fdr_bh")
    if perms < full and _undecided(p, reject, perms, q):
        perms = full
        g, p = _permutation_p(y[tested], w, perms, seed)
        reject, p_fdr, _s, _b = multipletests(p, alpha=q, method="fdr_bh")
    for k, i in enumerate(tested):
        z = float(g.Zs[k])
        out[i] = {"z": round(z, 3), "p": round(float(p[k]), 5), "p_fdr": round(float(p_fdr[k]), 5),
                  "class": (HOT if z > 0 else COLD) if reject[k] else NOT_SIGNIFICANT}
    return out, perms


def hot_spots(*, user, filters) -> dict:
    """Every grid of the viewer's jurisdiction (under the filters) with its intake, Gi* z, p and class."""
    grids = list(selectors.grids_in_scope(user=user, filters=filters).only("id", "code", "name", "boundary"))
    counts = selectors.grid_counts(user=user, filters=filters)
    y = [counts.get(g.pk, 0) for g in grids]
    polygons = [shapely.from_wkb(bytes(g.boundary.wkb)) for g in grids]
    q = settings.ANALYTICS_FDR
    stats, perms = gi_star(y, polygons, q=q)
    tested = sum(1 for s in stats if s["class"] != UNTESTED)
    return {
        "filters": filters.as_dict(), "method": "Getis-Ord Gi* (esda.G_Local, star=True), Queen contiguity, permutation p, Benjamini-Hochberg",
        "fdr": q, "permutations": perms, "tested": tested,
        "grids": [{"id": g.pk, "code": g.code, "name": g.name, "count": c, **s} for g, c, s in zip(grids, y, stats)],
        "_geometry": {g.pk: g.boundary for g in grids},
    }


def as_geojson(result) -> dict:
    """The hot-spot result as a GeoJSON FeatureCollection for the map (polygons coloured by z)."""
    geometry = result["_geometry"]
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": json.loads(geometry[g["id"]].geojson), "properties": g} for g in result["grids"]]}
