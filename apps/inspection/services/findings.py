"""Findings of an inspection handed on, once each: to the task centre as a patrol report, or as an enforcement case."""
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.cases.selectors import cause_get
from apps.cases.services import case_open
from apps.dispatch.models import Source
from apps.dispatch.services import task_intake
from apps.gbcp.audit import acting_as
from apps.gbcp.errors import ApplicationError, NotFound
from apps.inspection.models import Finding
from apps.inspection.policy import INSPECTION, require


def _finding_locked(finding: Finding) -> Finding:
    return Finding.objects.select_for_update(of=("self",)).select_related("item__category", "place__region", "record").get(pk=finding.pk)


def _require_open(user, finding, step):
    require(user=user, step=step, subject=finding)
    if not INSPECTION.is_open(step, finding):
        raise ApplicationError(_("This finding has already been turned into a task or a case."), code="finding_handled", status_code=409)


@transaction.atomic
def finding_to_task(*, user, finding: Finding) -> Finding:
    """Hand a finding to the task centre as a patrol report in the item's category; once."""

    finding = _finding_locked(finding)
    _require_open(user, finding, "finding_to_task")
    record, place = finding.record, finding.place
    description = _("Patrol inspection of %(place)s: %(item)s") % {"place": place.name, "item": finding.item.text}
    if finding.note:
        description += f" — {finding.note}"
    result = task_intake(
        user=user, source=Source.PATROL, description=description, point=record.point or place.point, address=place.address,
        category=finding.item.category, place=place, external_ref=f"inspection-finding-{finding.pk}",
    )
    with acting_as(user):
        finding.task = result.task
        finding.save(update_fields=["task"])
    return finding


@transaction.atomic
def finding_to_case(*, user, finding: Finding) -> Finding:
    """Open an enforcement case with the item's cause code; once."""
    finding = _finding_locked(finding)
    _require_open(user, finding, "finding_to_case")
    if not finding.item.cause_code:
        raise ApplicationError(_("This checklist item names no case cause."), code="no_cause")
    try:
        cause = cause_get(code=finding.item.cause_code)
    except NotFound as exc:
        raise ApplicationError(_("The case cause %(code)s does not exist.") % {"code": finding.item.cause_code}, code="unknown_cause") from exc
    record, place = finding.record, finding.place
    case = case_open(
        user=user, source="inspection", cause=cause, place=place, point=record.point or place.point,
        party_entity=place.operator, facts=_("Found in the patrol inspection of %(date)s: %(item)s. %(note)s") % {
            "date": timezone.localtime(record.inspected_at).strftime("%Y-%m-%d %H:%M"), "item": finding.item.text, "note": finding.note},
        source_ref=f"inspection-finding-{finding.pk}",
    )
    with acting_as(user):
        finding.case_id = case.pk
        finding.case_number = str(getattr(case, "number", "") or case.pk)
        finding.save(update_fields=["case_id", "case_number"])
    return finding
