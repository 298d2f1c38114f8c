"""Execution to the end of a case of either procedure: enforcement (强制执行), closing (结案) and archiving (归档)."""
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.cases import documents
from apps.cases.flows import CaseFlow
from apps.cases.models import Case, CaseLog, Payment, Procedure, Status
from apps.cases.services._common import complete, illegal, locked, mark_executed, require
from apps.cases.services.cash import cash_handed_in
from apps.gbcp.audit import acting_as
from apps.gbcp.errors import ApplicationError


@transaction.atomic
def case_enforcement_record(*, user, case: Case, note: str) -> Case:
    """Enforcement (强制执行) recorded when the party did not pay."""
    case = locked(case.pk)
    require(user, "enforce", case)
    if not (note or "").strip():
        raise ApplicationError(_("Describe the enforcement."), code="reason_required", details={"note": [_("This field is required.")]})
    with acting_as(user):
        payment = Payment.objects.select_for_update().filter(case=case).first()
        if payment is not None:
            payment.state = Payment.State.ENFORCED
            payment.save()
        mark_executed(case, user, "enforced", note=note.strip())
    return case


def _filed_with_the_organisation(case):
    if case.procedure == Procedure.SIMPLE and case.onsite_filed_at is None:
        raise illegal(_("File the on-the-spot decision with the organisation first."))


@transaction.atomic
def case_close(*, user, case: Case) -> Case:
    """结案, with the closing report."""
    case = locked(case.pk)
    require(user, "close", case, refusals=[_filed_with_the_organisation, cash_handed_in])
    with acting_as(user):
        def mutate():
            case.status = Status.CLOSED
            case.closed_at = timezone.now()
            case.save()
            CaseLog.record(case, "close", user)

        if case.procedure == Procedure.GENERAL:
            complete(case, CaseFlow.close, user, mutate)
        else:
            mutate()
        documents.issue(case=case, kind="closing_report", user=user)
    return case


@transaction.atomic
def case_archive(*, user, case: Case) -> Case:
    """归档."""
    case = locked(case.pk)
    require(user, "archive", case)
    with acting_as(user):
        def mutate():
            case.status = Status.ARCHIVED
            case.archived_at = timezone.now()
            case.save()
            CaseLog.record(case, "archive", user)

        if case.procedure == Procedure.GENERAL:
            complete(case, CaseFlow.archive, user, mutate)
        else:
            mutate()
    return case
