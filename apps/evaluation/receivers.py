"""What evaluation answers to other apps' ground-floor signals (connected in EvaluationConfig.ready)."""
from apps.evaluation import selectors
from apps.evaluation.services.schemes import scheme_ranking

SCREEN_RANKS = 10


def screen_rankings(sender, user, **kwargs) -> dict:
    """The big screen's rankings panel: the newest published assessment scheme the viewer may read, its best units
    first (at most SCREEN_RANKS), with score and rank; {"rankings": None} when nothing is published."""
    scheme = (selectors.scheme_list_for_user(user=user).filter(published=True)
              .order_by("-period_end", "-published_at", "-pk").first())
    if scheme is None:
        return {"rankings": None}
    rows = [{"rank": r.rank, "unit": r.unit.name, "score": None if r.score is None else round(r.score, 1)}
            for r in scheme_ranking(scheme=scheme)[:SCREEN_RANKS]]
    return {"rankings": {"scheme": scheme.name, "period_start": scheme.period_start.isoformat(),
                         "period_end": scheme.period_end.isoformat(), "rows": rows}}
