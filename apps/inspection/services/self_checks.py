"""Merchant self-checks (自检自查) of the places their business operates."""
from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.models import Role
from apps.credit import services as credit
from apps.gbcp.audit import acting_as
from apps.gbcp.errors import ApplicationError, NotFound
from apps.gbcp.models import Place
from apps.inspection.models import Outcome, SelfCheck, SelfCheckAnswer
from apps.inspection.services._common import answers_checked
from apps.inspection.services.checklists import checklist_for_kind


@transaction.atomic
def self_check_submit(*, user, place: Place, answers, note="") -> SelfCheck:
    """自检自查 by a merchant user of the business that operates the place."""
    if user is None or not user.is_authenticated or not user.has_role(Role.MERCHANT) or not user.entity_id:
        raise ApplicationError(_("Only merchants check their own places."), code="not_a_merchant", status_code=403)
    if place.operator_id != user.entity_id:
        raise NotFound()
    checklist = checklist_for_kind(place.kind)
    checked, _items = answers_checked(checklist, answers)
    with acting_as(user):
        check = SelfCheck.objects.create(
            place=place, entity_id=user.entity_id, region_code=place.region.code, checklist=checklist, submitted_by=user,
            passed=all(a["outcome"] != Outcome.FAILED for _i, a in checked), note=note or "",
        )
        SelfCheckAnswer.objects.bulk_create(
            SelfCheckAnswer(self_check=check, item=item, outcome=a["outcome"], note=(a.get("note") or "")[:500]) for item, a in checked
        )
    credit.record_self_check(user=user, entity=place.operator, source_ref=f"inspection.SelfCheck:{check.pk}", passed=check.passed,
                             checked_on=check.submitted_at, reason=str(place), place=place)
    return check

