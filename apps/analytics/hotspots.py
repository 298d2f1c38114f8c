"""高发区域: Getis-Ord Gi* over the enforcement grids (esda.G_Local, star=True) with conditional-permutation p-values,
corrected by Benjamini–Hochberg over all grids tested (docs/ANALYTICS.md §2).

Weights: Queen contiguity on the grid polygons (libpysal). Grids tile their streets, so sharing an edge or a corner is
the natural neighbourhood, and unlike a distance band it does not depend on grid size (city-centre grids are small,
suburban ones large). A grid with no neighbour (an island) is reported but not tested.
"""
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

from apps.analytics import selectors

HOT, COLD, NOT_SIGNIFICANT, UNTESTED = "hot", "cold", "not_significant", "untested"
MAX_PERMUTATIONS = 99_999


def permutations_for(tested: int, q: float) -> int:
    """Enough permutations that the smallest two-sided p-value (2 / (P + 1)) can pass BH's first threshold q / m."""
    return min(MAX_PERMUTATIONS, max(settings.ANALYTICS_PERMUTATIONS, math.ceil(2 * tested / q)))


def gi_star(counts, polygons, *, q=None, permutations=None, seed=None) -> list[dict]:
    """Per polygon: z (Gi*), p (two-sided, permutation), p_fdr (BH-adjusted) and the class. ``counts`` and
    ``polygons`` (shapely) are parallel lists."""
    q = settings.ANALYTICS_FDR if q is None else q
    n = len(counts)
    out = [{"z": None, "p": None, "p_fdr": None, "class": UNTESTED} for _ in range(n)]
    if n < 3:
        return out
    from esda.getisord import G_Local  # scipy/statsmodels/esda load in about a second: imported where used, not at every process start
    from libpysal.weights import W, Queen
    from statsmodels.stats.multitest import multipletests

    y = np.asarray(counts, dtype=float)
    queen = Queen.from_iterable(polygons, silence_warnings=True)
    tested = [i for i in range(n) if queen.cardinalities[queen.id_order[i]] > 0]
    if len(tested) < 3 or y[tested].std() == 0:
        return out
    index = {queen.id_order[i]: k for k, i in enumerate(tested)}
    neighbours = {index[queen.id_order[i]]: [index[j] for j in queen.neighbors[queen.id_order[i]] if j in index] for i in tested}
    w = W(neighbours, silence_warnings=True)
    perms = permutations or permutations_for(len(tested), q)
    g = G_Local(y[tested], w, transform="R", permutations=perms, star=True, seed=seed or settings.ANALYTICS_SEED, keep_simulations=False)
    p = np.minimum(1.0, 2 * np.asarray(g.p_sim, dtype=float))  # p_sim is one-sided toward the observed side
    reject, p_fdr, _s, _b = multipletests(p, alpha=q, method="fdr_bh")
    for k, i in enumerate(tested):
        z = float(g.Zs[k])
        out[i] = {"z": round(z, 3), "p": round(float(p[k]), 5), "p_fdr": round(float(p_fdr[k]), 5),
                  "class": (HOT if z > 0 else COLD) if reject[k] else NOT_SIGNIFICANT}
    return out


def hot_spots(*, user, filters) -> dict:
    """Every grid of the viewer's jurisdiction (under the filters) with its intake, Gi* z, p and class."""
    grids = list(selectors.grids_in_scope(user=user, filters=filters).only("id", "code", "name", "boundary"))
    counts = selectors.grid_counts(user=user, filters=filters)
    y = [counts.get(g.pk, 0) for g in grids]
    polygons = [shapely.from_wkb(bytes(g.boundary.wkb)) for g in grids]
    q = settings.ANALYTICS_FDR
    stats = gi_star(y, polygons, q=q)
    tested = sum(1 for s in stats if s["class"] != UNTESTED)
    return {
        "filters": filters.as_dict(), "method": "Getis-Ord Gi* (esda.G_Local, star=True), Queen contiguity, permutation p, Benjamini-Hochberg",
        "fdr": q, "permutations": permutations_for(tested, q) if tested else 0, "tested": tested,
        "grids": [{"id": g.pk, "code": g.code, "name": g.name, "count": c, **s} for g, c, s in zip(grids, y, stats)],
        "_geometry": {g.pk: g.boundary for g in grids},
    }


def as_geojson(result) -> dict:
    """The hot-spot result as a GeoJSON FeatureCollection for the map (polygons coloured by z)."""
    geometry = result["_geometry"]
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": json.loads(geometry[g["id"]].geojson), "properties": g} for g in result["grids"]]}
