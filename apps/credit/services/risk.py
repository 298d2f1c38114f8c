"""The risk of a place (风险分级), part by part, from its kind, its history, its operator's grade and recency."""
import datetime as dt

from django.db import transaction
from django.utils import timezone

from apps.credit import rules
from apps.credit.models import EntityGrade, PlaceRisk
from apps.credit.selectors import place_history_counts
from apps.credit.services._common import ruleset_current
from apps.gbcp.audit import acting_as
from apps.gbcp.models import Place

_UNSET = object()


def place_risk(*, place: Place, history: dict | None = None, operator_grade=_UNSET, today=None, ruleset=None) -> tuple[int, str, list[dict]]:
    """(score, level, parts) of a place now, without saving.

    ``history`` ({"findings", "complaints", "cases", "last_at"}) is passed in by the caller that counted it
    in its own app; without it, credit counts what it was told as records about the place in the window.
    """
    ruleset = ruleset or ruleset_current()
    today = today or timezone.localdate()
    if history is None:
        history = place_history_counts(place=place, since=today - dt.timedelta(days=ruleset.risk_window_days), until=today)
    if operator_grade is _UNSET:
        operator_grade = EntityGrade.objects.filter(entity_id=place.operator_id).first() if place.operator_id else None
    grade = getattr(operator_grade, "grade", operator_grade)
    return rules.risk_compute(place_kind=place.kind, history=history, operator_grade=grade, has_operator=bool(place.operator_id),
                              today=today, settings=ruleset.risk_settings())


@transaction.atomic
def recompute_place_risk(*, place: Place, history: dict | None = None, user=None, operator_grade=_UNSET, today=None) -> PlaceRisk:
    """Store the place's risk; saved, with history, only when it changed."""
    ruleset = ruleset_current()
    score, level, parts = place_risk(place=place, history=history, operator_grade=operator_grade, today=today, ruleset=ruleset)
    current = PlaceRisk.objects.select_for_update().filter(place=place).first()
    with acting_as(user):
        if current is None:
            return PlaceRisk.objects.create(place=place, region_code=place.region.code, level=level, score=score, parts=parts, ruleset=ruleset)
        if (current.level, current.score, current.parts, current.ruleset_id) != (level, score, parts, ruleset.pk):
            current.level, current.score, current.parts, current.ruleset = level, score, parts, ruleset
            current.region_code, current.computed_at = place.region.code, timezone.now()
            current.save()
    return current


def recompute_risks(*, places, user=None, today=None) -> int:
    """Many places at once (the demo, a nightly refresh): one transaction each."""
    count = 0
    for place in places:
        recompute_place_risk(place=place, user=user, today=today)
        count += 1
    return count
