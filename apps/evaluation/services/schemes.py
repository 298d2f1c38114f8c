"""内部监督考核: score the units of a scheme by weighted attainment and rank them (docs/EVALUATION.md §8)."""
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.evaluation import selectors
from apps.evaluation.figures import attainment, competition_ranks, weighted_score
from apps.evaluation.models import AssessmentScheme
from apps.evaluation.periods import Period
from apps.evaluation.services.scorecards import scorecards_from_rollup
from apps.gbcp.audit import acting_as
from apps.gbcp.errors import ApplicationError

@dataclass
class RankedUnit:
    rank: int | None
    unit: object
    score: float | None
    incomplete: bool
    values: list  # per indicator: (indicator, value, attainment)
    card: object


def scheme_period(scheme) -> Period:
    return Period(scheme.period_start, scheme.period_end)


def scheme_ranking(*, scheme, units=None) -> list[RankedUnit]:
    """Every unit of the scheme with its score and rank, best first; units without a score last."""
    indicators = list(scheme.indicators.all())
    units = list(units if units is not None else selectors.units_of_kind(unit_kind=scheme.unit_kind, region=scheme.region))
    cards = scorecards_from_rollup(units=units, period=scheme_period(scheme))
    scored = []
    for card in cards:
        values = []
        for indicator in indicators:
            value = card.value(indicator.figure)
            values.append((indicator, value, attainment(value, indicator.target, indicator.direction)))
        score, incomplete = weighted_score([(ind.weight, a) for ind, _v, a in values])
        scored.append((card, values, score, incomplete))
    ranks = competition_ranks([score for _c, _v, score, _i in scored])
    ranked = [RankedUnit(rank=rank, unit=card.unit, score=score, incomplete=incomplete, values=values, card=card)
              for rank, (card, values, score, incomplete) in zip(ranks, scored)]
    return sorted(ranked, key=lambda r: (r.rank is None, r.rank or 0, r.unit.region.code, r.unit.name))


@transaction.atomic
def scheme_publish(*, user, scheme, published: bool = True) -> AssessmentScheme:
    """Publish (or withdraw) a scheme's ranking: a supervisor, leader or administrator whose jurisdiction holds its region."""
    scheme = selectors.scheme_get_for_user(user=user, id=scheme.pk)
    if not selectors.may_publish(user=user, scheme=scheme):
        raise ApplicationError(_("You may not publish this ranking."), code="forbidden", status_code=403)
    if published and not scheme.indicators.exists():
        raise ApplicationError(_("A scheme needs at least one indicator before it is published."), code="no_indicators", status_code=409)
    with acting_as(user):
        scheme.published = published
        scheme.published_at = timezone.now() if published else None
        scheme.save()
    return scheme
