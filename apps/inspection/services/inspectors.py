"""Inspectors: their qualifications (badge, certificate) and declared conflicts, who the draws choose from."""
import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.gbcp.audit import acting_as
from apps.gbcp.errors import ApplicationError
from apps.gbcp.models import Entity, Place
from apps.inspection.models import Conflict, InspectorQualification
from apps.inspection.policy import INSPECTOR_ROLES


@transaction.atomic
def qualification_ensure(*, user, inspector: User, badge_number, region_code, valid_until, qualifications=(), is_active=True) -> InspectorQualification:
    with acting_as(user):
        qualification, _created = InspectorQualification.objects.update_or_create(
            user=inspector, defaults={"badge_number": badge_number, "region_code": region_code, "certificate_valid_until": valid_until,
                                      "qualifications": list(qualifications), "is_active": is_active},
        )
    return qualification


@transaction.atomic
def conflict_declare(*, user, inspector: User, place: Place | None = None, entity: Entity | None = None, reason: str) -> Conflict:
    if place is None and entity is None:
        raise ApplicationError(_("A conflict names a place or a business."), code="conflict_without_target")
    if not (reason or "").strip():
        raise ApplicationError(_("Give the reason of the conflict."), code="reason_required")
    with acting_as(user):
        conflict, _created = Conflict.objects.get_or_create(inspector=inspector, place=place, entity=entity, defaults={"reason": reason.strip()})
    return conflict


def qualified_inspectors(*, region_code: str, on: dt.date | None = None):
    """Officers holding an active certificate, serving in the region (code prefix), in badge order."""
    on = on or timezone.localdate()
    return (
        InspectorQualification.objects.filter(
            is_active=True, certificate_valid_until__gte=on, region_code__startswith=region_code,
            user__is_active=True, user__memberships__is_active=True, user__memberships__role__in=INSPECTOR_ROLES,
        ).select_related("user").distinct().order_by("badge_number")
    )
