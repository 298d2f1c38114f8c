"""The penalty decision (处罚决定), signed by the leader within the decision limit, and its service (送达)."""
import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.cases import discretion, documents, lawdays, service_methods
from apps.cases.flows import CaseFlow
from apps.cases.models import Case, CaseLog, Payment, Status
from apps.cases.services._common import complete, illegal, locked, mark_executed, require
from apps.cases.services.deadlines import decision_due
from apps.cases.services.disclosure import disclosure_open
from apps.cases.services.notice import hearing_request_deadline
from apps.cases.services.payments import payment_for
from apps.credit import services as credit
from apps.evidence.selectors import evidence_for_subject
from apps.gbcp.audit import acting_as
from apps.gbcp.errors import ApplicationError


@transaction.atomic
def case_decide(*, user, case: Case, at=None) -> Case:
    """The leader signs the penalty decision, within the decision limit and after the party's rights were heard."""
    case = locked(case.pk)
    require(user, "decide", case)
    at = at or timezone.now()
    due = decision_due(case)
    if due is not None and at > due:
        raise ApplicationError(
            _("The decision limit (%(due)s) has passed; the decision cannot be made without an approved extension.") % {"due": timezone.localtime(due).date()},
            code="decision_overdue", status_code=409,
        )
    if case.hearing_requested_at is not None and case.hearing_withdrawn_at is None and case.hearing_held_at is None:
        raise illegal(_("The requested hearing must be held and recorded before the decision."))
    if case.hearing_eligible and not case.hearing_waived and case.hearing_requested_at is None and timezone.localtime(at).date() <= hearing_request_deadline(case):
        raise illegal(_("The party may still request a hearing until %(date)s.") % {"date": hearing_request_deadline(case)})
    with acting_as(user):
        def mutate():
            case.status = Status.DECIDED
            case.decided_at = at
            case.service_due = lawdays.end_of_last_day(at, lawdays.SERVICE)  # 7 working days (art. 61, art. 85)
            case.save()
            CaseLog.record(case, "decide", user, fine=str(case.fine), warning=case.warning, exempt=case.exempt)

        complete(case, CaseFlow.decide, user, mutate)
        disclosure_open(case=case, at=at)  # to be published within 7 working days (art. 48)
        payment = payment_for(case) if case.fine > 0 else None
        documents.issue(case=case, kind="penalty_decision", user=user, payment=payment)
    if case.party_entity_id and not case.exempt:  # credit is told of a penalty decision against a business
        credit.record_penalty_decision(user=user, entity=case.party_entity, source_ref=f"cases.Case:{case.pk}", fine=case.fine,
                                       warning=case.warning, decided_on=at, reason=f"{case.number} {case.cause or ''}".strip(), place=case.place)
    return case


@transaction.atomic
def case_serve(*, user, case: Case, method: str, proof=None, served_at=None) -> Case:
    """送达: on the spot, or within 7 working days by another method, each with its proof (apps.cases.service_methods);
    an announcement counts as served 30 days after publication. The payment is then due in 15 days."""
    case = locked(case.pk)
    require(user, "serve", case)
    if method not in Case.ServiceMethod.values:
        raise ApplicationError(_("Unknown service method."), code="invalid_method", details={"method": [_("Choose a method.")]})
    evidence_ids = evidence_for_subject(subject=case).values_list("pk", flat=True) if (proof or {}).get("evidence") else ()
    proof, deemed_at = service_methods.clean_proof(method, proof, evidence_ids=evidence_ids)
    if deemed_at is not None and deemed_at > timezone.now():
        raise ApplicationError(_("The announcement counts as served on %(date)s; record the service then.") % {"date": proof["served_on"]},
                               code="announcement_running", status_code=409)
    served_at = deemed_at or served_at or timezone.now()
    if case.decided_at and served_at < case.decided_at:
        raise ApplicationError(_("Service cannot precede the decision."), code="invalid_time")
    late = case.service_due is not None and served_at > case.service_due
    with acting_as(user):
        def mutate():
            case.served_at, case.service_method, case.service_proof = served_at, method, proof
            if case.fine > 0:
                case.status = Status.EXECUTING
                case.payment_due = timezone.localtime(served_at).date() + dt.timedelta(days=discretion.PAYMENT_DAYS)
            else:
                case.status = Status.EXECUTED
                case.executed_at = served_at
            case.save()
            CaseLog.record(case, "serve", user, method=method, late=late, proof=proof)

        complete(case, CaseFlow.serve, user, mutate)
        documents.issue(case=case, kind="service_receipt", user=user)
        if case.status == Status.EXECUTING and Payment.objects.filter(case=case, state=Payment.State.PAID).exists():
            mark_executed(case, user, "paid_before_service")
    return case
