"""Double-random draws (双随机): places by risk weight and inspector pairs without conflicts, replayable from the seed."""
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.gbcp.audit import acting_as
from apps.gbcp.errors import ApplicationError
from apps.gbcp.models import Place
from apps.inspection import drawing
from apps.inspection.models import Conflict, Draw
from apps.inspection.policy import INSPECTION, require
from apps.inspection.services._common import check_kinds, place_risk_weights
from apps.inspection.services.inspectors import qualified_inspectors


def _draw_inputs(*, region_code, place_kinds):
    places = list(Place.objects.filter(region__code__startswith=region_code, kind__in=place_kinds, is_active=True).order_by("id"))
    weights = place_risk_weights([p.pk for p in places])
    candidates = [[p.pk, repr(float(weights[p.pk]))] for p in places]
    pool = [
        {"id": q.user_id, "code": q.badge_number, "qualifications": list(q.qualifications)}
        for q in qualified_inspectors(region_code=region_code[:6])
    ]
    pool_ids = {row["id"] for row in pool}
    by_entity = {}
    for p in places:
        if p.operator_id:
            by_entity.setdefault(p.operator_id, []).append(p.pk)
    candidate_ids = {p.pk for p in places}
    pairs = set()
    for c in Conflict.objects.filter(inspector_id__in=pool_ids):
        if c.place_id in candidate_ids:
            pairs.add((c.inspector_id, c.place_id))
        for place_id in by_entity.get(c.entity_id, ()):
            pairs.add((c.inspector_id, place_id))
    return candidates, pool, sorted([i, p] for i, p in pairs)


def draw_compute(draw: Draw) -> list[dict]:
    """The result the stored inputs give (raises drawing.DrawImpossible)."""
    picks = drawing.run(
        seed=bytes.fromhex(draw.seed_hex), candidates=draw.candidates, pool=[row["id"] for row in draw.pool],
        conflicts=draw.conflicts, count=draw.place_count,
    )
    return [p.as_json() for p in picks]


def draw_digest(draw: Draw) -> str:
    return drawing.inputs_digest(seed_hex=draw.seed_hex, algorithm=draw.algorithm, candidates=draw.candidates,
                                 pool_ids=[row["id"] for row in draw.pool], conflicts=draw.conflicts, count=draw.place_count)


@transaction.atomic
def draw_create(*, user, region_code: str, place_kinds, place_count: int, title="", seed_hex: str | None = None) -> Draw:
    """Draw places (risk-weighted) and inspector pairs (conflicts excluded) with a fresh recorded seed."""
    require(user=user, step="draw", subject=Draw(region_code=region_code))
    check_kinds(place_kinds)
    if int(place_count) < 1:
        raise ApplicationError(_("Draw at least one place."), code="invalid_count")
    candidates, pool, conflicts = _draw_inputs(region_code=region_code, place_kinds=place_kinds)
    draw = Draw(
        title=(title or "").strip() or _("Double-random draw %(date)s") % {"date": timezone.localdate().isoformat()},
        region_code=region_code, place_kinds=list(place_kinds), place_count=int(place_count),
        seed_hex=seed_hex or secrets.token_bytes(32).hex(), algorithm=drawing.ALGORITHM,
        candidates=candidates, pool=pool, conflicts=conflicts, created_by=user,
    )
    try:
        draw.result = draw_compute(draw)
    except drawing.DrawImpossible as exc:
        raise ApplicationError(
            _("The draw is not possible: %(reason)s.") % {"reason": _("too few places") if exc.place_id is None else _("too few inspectors without a conflict")},
            code="draw_impossible", details={"candidates": len(candidates), "inspectors": len(pool)},
        ) from exc
    draw.inputs_sha256 = draw_digest(draw)
    with acting_as(user):
        draw.save()
    return draw


def draw_replay(*, draw: Draw) -> dict:
    """Recompute from the stored inputs: ``{"match": True}`` or ``{"match": False, "differences": [...]}``."""
    differences = []
    if draw.algorithm != drawing.ALGORITHM:
        differences.append({"field": "algorithm", "stored": draw.algorithm, "recomputed": drawing.ALGORITHM})
    digest = draw_digest(draw)
    if digest != draw.inputs_sha256:
        differences.append({"field": "inputs_sha256", "stored": draw.inputs_sha256, "recomputed": digest})
    try:
        recomputed = draw_compute(draw)
    except (drawing.DrawImpossible, ValueError, TypeError, KeyError) as exc:
        return {"match": False, "differences": differences + [{"field": "result", "error": str(exc)}]}
    stored = draw.result if isinstance(draw.result, list) else []
    for position in range(max(len(stored), len(recomputed))):
        a = stored[position] if position < len(stored) else None
        b = recomputed[position] if position < len(recomputed) else None
        if a != b:
            differences.append({"field": "result", "position": position, "stored": a, "recomputed": b})
    return {"match": not differences, "differences": differences} if differences else {"match": True}


@transaction.atomic
def draw_publish(*, user, draw: Draw) -> Draw:
    require(user=user, step="publish_draw", subject=draw)
    if not INSPECTION.is_open("publish_draw", draw):  # published already: nothing to do
        return draw
    if not draw_replay(draw=draw)["match"]:
        raise ApplicationError(_("The stored draw does not replay to its result; it is not published."), code="draw_tampered")
    with acting_as(user):
        draw.is_published = True
        draw.published_at = timezone.now()
        draw.save(update_fields=["is_published", "published_at"])
    return draw
