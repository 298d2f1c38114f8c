"""Every computation and write of evaluation: scorecards, the daily rollup, assessment schemes, XLSX exports."""
from apps.evaluation.services.export import rankings_xlsx, scorecards_xlsx
from apps.evaluation.services.rollup import rebuild_range, refresh_rollup
from apps.evaluation.services.schemes import scheme_publish, scheme_ranking
from apps.evaluation.services.scorecards import Scorecard, scorecard_live, scorecards_from_rollup, unit_series

__all__ = [
    "Scorecard", "rankings_xlsx", "rebuild_range", "refresh_rollup", "scheme_publish", "scheme_ranking", "scorecard_live",
    "scorecards_from_rollup", "scorecards_xlsx", "unit_series",
]
