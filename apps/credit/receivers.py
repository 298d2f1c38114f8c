"""What credit hears from apps it may not import (apps.gbcp.signals), connected in CreditConfig.ready."""
from django.utils.translation import gettext as _

from apps.credit import rules
from apps.credit.services.records import record_frontage_performance


def on_frontage_assessed(sender, *, assessment, user=None, **kwargs):
    """门前三包: a month's assessment counts for the business responsible for the zone (none known: nothing to record).

    The points come from the rule set by grade (``frontage_good`` / ``frontage_fair`` / ``frontage_poor``)."""
    if assessment.entity_id is None:
        return None
    failed = "、".join(assessment.failed_duty_labels())
    reason = _("Frontage zone %(zone)s, %(month)s: %(grade)s") % {
        "zone": assessment.zone.code, "month": assessment.period.strftime("%Y-%m"), "grade": assessment.get_grade_display()}
    if failed:
        reason += " · " + _("not met: %(duties)s") % {"duties": failed}
    return record_frontage_performance(
        user=user, entity=assessment.entity, source_ref=f"ledger.FrontageAssessment:{assessment.pk}", assessed_on=assessment.assessed_on,
        reason=reason, place=assessment.zone.place, rule=rules.FRONTAGE_RULES[assessment.grade],
    )
