"""高发问题: categories growing against their own baseline (docs/ANALYTICS.md §3).

For each category, x₀ reports in the period and x₁…x_k in the k previous periods of the same length. If the rate had
not changed, given the total N = x₀ + … + x_k, x₀ would be Binomial(N, 1/(k+1)) (the exact conditional test of
Poisson rates). One-sided test for growth (scipy.stats.binomtest), Benjamini–Hochberg over the categories tested.
"""
from django.conf import settings

from apps.analytics import selectors
from apps.gbcp.models import Category


def growth_test(current: int, baseline: list[int], *, q=None) -> dict:
    """The test for one category (BH correction is applied by ``growth``)."""
    from scipy.stats import binomtest  # scipy/statsmodels/esda load in about a second: imported where used, not at every process start

    k = len(baseline)
    total = current + sum(baseline)
    mean = sum(baseline) / k if k else 0
    p = binomtest(current, total, 1 / (k + 1), alternative="greater").pvalue if total else 1.0
    return {"count": current, "baseline": baseline, "baseline_mean": round(mean, 2),
            "ratio": round(current / mean, 2) if mean else None, "p": float(p)}


def growth(*, user, filters, k=None) -> dict:
    """Every category with a report in the k + 1 periods, the growing (significant after BH) first."""
    k = k or settings.ANALYTICS_GROWTH_BASELINE
    q = settings.ANALYTICS_FDR
    windows = selectors.category_window_counts(user=user, filters=filters, windows=k + 1)
    names = dict(Category.objects.filter(pk__in=list(windows)).values_list("pk", "name"))
    codes = dict(Category.objects.filter(pk__in=list(windows)).values_list("pk", "code"))
    rows = [{"category": {"id": pk, "code": codes.get(pk, ""), "name": names.get(pk, "")}, **growth_test(counts[0], counts[1:])}
            for pk, counts in windows.items()]
    if rows:
        from statsmodels.stats.multitest import multipletests  # scipy/statsmodels/esda load in about a second: imported where used, not at every process start

        reject, p_fdr, _s, _b = multipletests([r["p"] for r in rows], alpha=q, method="fdr_bh")
        for row, significant, adjusted in zip(rows, reject, p_fdr):
            row["p"] = round(row["p"], 5)
            row["p_fdr"] = round(float(adjusted), 5)
            row["growing"] = bool(significant) and row["count"] > row["baseline_mean"]
    rows.sort(key=lambda r: (not r["growing"], r["p_fdr"], -r["count"]))
    baseline = [filters.shifted(-i) for i in range(k, 0, -1)]
    return {"filters": filters.as_dict(), "k": k, "fdr": q, "baseline_from": baseline[0].first.isoformat(), "baseline_to": baseline[-1].last.isoformat(),
            "method": "exact conditional binomial test of Poisson rates (one-sided), Benjamini-Hochberg", "results": rows}
