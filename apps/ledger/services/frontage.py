"""门前三包 考核: a frontage zone assessed once a month, duty by duty, by the staff of its jurisdiction."""
import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.gbcp.audit import acting_as
from apps.gbcp.errors import ApplicationError
from apps.gbcp.signals import frontage_assessed
from apps.ledger.models import FrontageAssessment, FrontageZone
from apps.ledger.policy import require

Outcome = FrontageAssessment.Outcome
Grade = FrontageAssessment.Grade


def zone_duties(zone: FrontageZone) -> list[str]:
    """The duties the zone's agreement names; a zone that names none carries all four (市容、环卫、秩序、绿化)."""
    named = [duty for duty in (zone.duties or []) if duty in FrontageZone.Duty.values]
    return named or list(FrontageZone.Duty.values)


def grade_for(results: dict) -> str:
    """Every duty met: good; one not met: fair; two or more: poor."""
    failed = sum(1 for outcome in results.values() if outcome == Outcome.FAILED)
    return Grade.GOOD if failed == 0 else Grade.FAIR if failed == 1 else Grade.POOR


def _month(value) -> dt.date:
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value + "-01" if len(value) == 7 else value)
        except ValueError:
            raise ApplicationError(_("Give the month as YYYY-MM."), code="invalid_period", details={"period": [_("Give the month as YYYY-MM.")]}) from None
    return value.replace(day=1)


@transaction.atomic
def frontage_assess(*, user, zone: FrontageZone, period, results: dict, note="", assessed_on=None) -> FrontageAssessment:
    """Record a month's assessment of ``zone``: every duty of the zone answered passed or failed, once per month.

    Credit is told (signal ``frontage_assessed``, in this transaction) so the responsible business's record follows."""
    require(user=user, step="assess_frontage", subject=zone)
    period = _month(period)
    today = timezone.localdate()
    if period > today.replace(day=1):
        raise ApplicationError(_("A month that has not begun cannot be assessed."), code="future_period",
                               details={"period": [_("Choose this month or an earlier one.")]})
    duties = zone_duties(zone)
    answers = {str(k): str(v) for k, v in (results or {}).items()}
    unknown = sorted(set(answers) - set(duties))
    missing = [duty for duty in duties if duty not in answers]
    bad = sorted(duty for duty, outcome in answers.items() if outcome not in Outcome.values)
    if unknown or missing or bad:
        raise ApplicationError(_("Answer every duty of this zone with passed or failed."), code="invalid_results",
                               details={"results": [_("Duties of this zone: %(duties)s.") % {"duties": ", ".join(duties)}]})
    assessed_on = assessed_on or today
    if not isinstance(assessed_on, dt.date) or assessed_on > today or assessed_on < period:
        raise ApplicationError(_("The assessment date lies in the month assessed or after it, and not in the future."), code="invalid_date")
    entity = zone.responsible_entity or (zone.place.operator if zone.place_id else None)
    try:
        with transaction.atomic(), acting_as(user):
            assessment = FrontageAssessment.objects.create(
                zone=zone, period=period, assessed_on=assessed_on, assessor=user, results={d: answers[d] for d in duties},
                grade=grade_for(answers), note=(note or "")[:500], entity=entity, region_code=zone.region_code,
            )
    except IntegrityError:
        raise ApplicationError(_("This zone has already been assessed for that month."), code="already_assessed", status_code=409) from None
    frontage_assessed.send(sender=FrontageAssessment, assessment=assessment, user=user)
    return assessment
