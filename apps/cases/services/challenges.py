"""Review and litigation after the decision (art. 73): filed, then concluded; execution goes on meanwhile. An outcome
that corrects the decision starts the withdrawal of its disclosure (art. 48(2))."""
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.cases.challenges import OVERTURNING, CaseChallenge
from apps.cases.models import Case, CaseLog
from apps.cases.policy import AFTER_DECISION
from apps.cases.services._common import illegal, locked
from apps.cases.services.disclosure import disclosure_withdrawal_start
from apps.cases.subjects import subject_for
from apps.gbcp.audit import acting_as
from apps.gbcp.errors import ApplicationError


def _required(field, value):
    value = (value or "").strip() if isinstance(value, str) or value is None else value
    if not value:
        raise ApplicationError(_("This field is required."), code="required", details={field: [_("This field is required.")]})
    return value


def _date_check(field, value, *, not_before, message):
    if value is None:
        _required(field, None)
    if value > timezone.localdate():
        raise ApplicationError(_("The date lies in the future."), code="invalid_date", details={field: [_("The date lies in the future.")]})
    if not_before is not None and value < not_before:
        raise ApplicationError(message, code="invalid_date", details={field: [message]})
    return value


def default_organ(case, kind) -> str:
    """The review organ or the court printed on the decision (the enforcement subject's), for the form's first value."""
    subject = subject_for(case.organization)
    if subject is None:
        return ""
    return subject.review_organ if kind == CaseChallenge.Kind.REVIEW else subject.court


@transaction.atomic
def challenge_file(*, user, case: Case, kind: str, applicant: str, filed_on, organ: str = "", reference: str = "") -> CaseChallenge:
    """复议 or 诉讼 against the decision was filed: recorded; the case goes on (execution is not suspended, art. 73)."""
    case = locked(case.pk)
    AFTER_DECISION.require(user=user, step="challenge", subject=case)
    if kind not in CaseChallenge.Kind.values:
        raise ApplicationError(_("Choose review or litigation."), code="invalid_kind", details={"kind": [_("Choose review or litigation.")]})
    applicant = _required("applicant", applicant)
    decided_on = timezone.localtime(case.decided_at).date()
    _date_check("filed_on", filed_on, not_before=decided_on, message=_("It cannot be filed before the decision (%(date)s).") % {"date": decided_on})
    organ = (organ or "").strip() or default_organ(case, kind)
    _required("organ", organ)
    with acting_as(user):
        challenge = CaseChallenge.objects.create(case=case, kind=kind, applicant=applicant, filed_on=filed_on, organ=organ,
                                                 reference=(reference or "").strip(), recorded_by=user)
        CaseLog.record(case, "challenge_file", user, kind=kind, organ=organ, filed_on=filed_on.isoformat())
    return challenge


@transaction.atomic
def challenge_decide(*, user, challenge: CaseChallenge, outcome: str, outcome_on, outcome_reference: str, note: str = "") -> CaseChallenge:
    """The review organ or court concluded: the outcome with its date and document. Changed, revoked or confirmed unlawful
    starts the withdrawal of the decision's disclosure within 3 working days of the outcome."""
    case = locked(challenge.case_id)
    challenge = CaseChallenge.objects.select_for_update().get(pk=challenge.pk)

    def still_pending(case):
        if not challenge.pending:
            raise illegal(_("The outcome of this review or litigation is already recorded."))

    AFTER_DECISION.require(user=user, step="challenge_outcome", subject=case, check_state=False)
    still_pending(case)
    if outcome not in CaseChallenge.Outcome.values or outcome == CaseChallenge.Outcome.PENDING:
        raise ApplicationError(_("Choose the outcome."), code="invalid_outcome", details={"outcome": [_("Choose the outcome.")]})
    _date_check("outcome_on", outcome_on, not_before=challenge.filed_on,
                message=_("The outcome cannot precede the filing (%(date)s).") % {"date": challenge.filed_on})
    outcome_reference = _required("outcome_reference", outcome_reference)
    with acting_as(user):
        challenge.outcome, challenge.outcome_on, challenge.outcome_reference = outcome, outcome_on, outcome_reference
        challenge.outcome_note, challenge.decided_by = (note or "").strip(), user
        challenge.save()
        CaseLog.record(case, "challenge_decide", user, kind=challenge.kind, outcome=outcome, outcome_on=outcome_on.isoformat(),
                       reference=outcome_reference)
        if outcome in OVERTURNING:
            disclosure_withdrawal_start(case=case, on=outcome_on, reason=f"{challenge.get_kind_display()}：{challenge.get_outcome_display()}（{outcome_reference}）")
    return challenge
