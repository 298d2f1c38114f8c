"""Who may do each step of a case, declared once: the general procedure (一般程序) and the simple one (简易程序).

The services enforce these tables (``policy.require``), the case page and the API's ``actions``
show the steps they allow (``policy.actions``), and the general procedure's Viewflow nodes use them
as their permission (``PolicyView``). ``policy_for(case)`` picks a case's table by its procedure.

"Squad" is the handling squad (``case.organization``); a legal reviewer or leader acts where their
jurisdiction holds the case's region code; an extension is the officer in charge's own request.
"""
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Role
from apps.cases.models import CashCollection, Payment, PaymentTerms, Procedure, Status
from apps.workflow.policy import JURISDICTION, ORGANIZATION, OWNER, Policy, Step

SQUAD = (Role.OFFICER, Role.SQUAD_LEADER)
SQUAD_LEADER = (Role.SQUAD_LEADER,)
CASE_CLOSED = _("The case is closed.")
NOT_AWAITING_DECISION = _("Only a filed case awaiting its decision can be extended.")


def awaiting_decision(case) -> bool:
    return case.is_open and case.decided_at is None


def hearing_requestable(case) -> bool:
    return case.hearing_eligible and case.hearing_requested_at is None


def hearing_outstanding(case) -> bool:
    """Requested, neither held nor withdrawn: the hearing may be (re)scheduled or withdrawn."""
    return case.hearing_requested_at is not None and case.hearing_held_at is None and case.hearing_withdrawn_at is None


def hearing_pending(case) -> bool:
    """Scheduled with notice and not yet held: the hearing may be held (and recorded)."""
    return hearing_outstanding(case) and case.hearing_scheduled_for is not None


def _payment(case):
    try:
        return case.payment
    except Payment.DoesNotExist:
        return None


def cash_collection(case):
    try:
        return case.cash_collection
    except CashCollection.DoesNotExist:
        return None


def fine_unpaid(case) -> bool:
    """A fine is owed and nothing settled it yet (its payment row is made at the decision)."""
    payment = _payment(case) if case.pk else None
    return case.fine > 0 and not case.exempt and not case.warning and (payment is None or payment.state == Payment.State.PENDING)


def cash_collectable(case) -> bool:
    return fine_unpaid(case) and case.payment_terms != PaymentTerms.INSTALMENTS and cash_collection(case) is None


def cash_not_handed_in(case) -> bool:
    collection = cash_collection(case)
    return collection is not None and collection.handed_in_at is None


def terms_requestable(case) -> bool:
    """Art. 66: one application at a time, while the fine is owed; after a refusal the party may apply again."""
    return fine_unpaid(case) and case.payment_terms in ("", PaymentTerms.REFUSED)


def terms_pending(case) -> bool:
    return case.payment_terms == PaymentTerms.PENDING


def instalments_open(case) -> bool:
    return case.payment_terms == PaymentTerms.INSTALMENTS and fine_unpaid(case)


# Steps of both procedures: evidence while the case is open, and execution to the archive.
EVIDENCE = Step("evidence", roles=SQUAD, where=ORGANIZATION, when=lambda case: case.is_open, status_message=CASE_CLOSED,
                label=_("Evidence"))
ENFORCE = Step("enforce", roles=SQUAD_LEADER, where=ORGANIZATION, statuses=(Status.EXECUTING,), label=_("Enforcement"))
CLOSE = Step("close", roles=SQUAD_LEADER, where=ORGANIZATION, statuses=(Status.EXECUTED,), label=_("Close the case (结案)"))
ARCHIVE = Step("archive", roles=SQUAD_LEADER, where=ORGANIZATION, statuses=(Status.CLOSED,), label=_("Archive (归档)"))
# Payment of the fine (arts. 66–71): the officers record what the party asks and pays, a leader decides deferral or instalments.
CASH_COLLECT = Step("cash_collect", roles=SQUAD, where=ORGANIZATION, statuses=(Status.ONSITE_DECIDED, Status.DECIDED, Status.EXECUTING),
                    when=cash_collectable, label=_("Collect the fine on the spot (当场收缴)"))
CASH_HANDIN = Step("cash_handin", roles=SQUAD, where=ORGANIZATION, when=cash_not_handed_in, label=_("Hand the cash in to the bureau"))
PAYMENT_TERMS = Step("payment_terms", roles=SQUAD, where=ORGANIZATION, statuses=(Status.EXECUTING,), when=terms_requestable,
                     label=_("Deferral or instalments: the party's application"))
PAYMENT_TERMS_DECIDE = Step("payment_terms_decide", roles=(Role.LEADER,), where=JURISDICTION, statuses=(Status.EXECUTING,),
                            when=terms_pending, label=_("Approve or refuse deferral or instalments"))
INSTALMENT_PAY = Step("instalment_pay", roles=SQUAD, where=ORGANIZATION, statuses=(Status.EXECUTING,), when=instalments_open,
                      label=_("Record an instalment paid"))
PAYMENT_STEPS = (CASH_COLLECT, CASH_HANDIN, PAYMENT_TERMS, PAYMENT_TERMS_DECIDE, INSTALMENT_PAY)

GENERAL = Policy(
    name="cases.general",
    subject_label="case",
    steps=(
        Step("update", roles=SQUAD, where=ORGANIZATION, statuses=(Status.PENDING_FILING, Status.INVESTIGATING),
             label=_("Facts, party and discretion")),
        Step("file", roles=SQUAD_LEADER, where=ORGANIZATION, statuses=(Status.PENDING_FILING,), label=_("Filing (立案)")),
        Step("refuse", roles=SQUAD_LEADER, where=ORGANIZATION, statuses=(Status.PENDING_FILING,), label=_("Refuse filing")),
        Step("officers", roles=SQUAD, where=ORGANIZATION, statuses=(Status.PENDING_FILING, Status.INVESTIGATING),
             label=_("Investigating officers")),
        Step("records", roles=SQUAD, where=ORGANIZATION, statuses=(Status.INVESTIGATING,), label=_("Add a record")),
        Step("penalty", roles=SQUAD, where=ORGANIZATION, statuses=(Status.INVESTIGATING,), label=_("Penalty")),
        EVIDENCE,
        Step("submit", roles=SQUAD, where=ORGANIZATION, statuses=(Status.INVESTIGATING,), label=_("Send to legal review")),
        Step("review", roles=(Role.LEGAL_REVIEWER,), where=JURISDICTION, statuses=(Status.LEGAL_REVIEW,),
             label=_("Legal review (法制审核)")),
        # A major case needs the discussion before approval (case_leader_approve); the service records one for any case.
        Step("discussion", roles=(Role.LEADER,), where=JURISDICTION, statuses=(Status.LEADER_APPROVAL,),
             label=_("Collective discussion")),
        Step("approve", roles=(Role.LEADER,), where=JURISDICTION, statuses=(Status.LEADER_APPROVAL,), label=_("Leader approval")),
        Step("return", roles=(Role.LEADER,), where=JURISDICTION, statuses=(Status.LEADER_APPROVAL,),
             label=_("Return to legal review")),
        Step("notify", roles=SQUAD, where=ORGANIZATION, statuses=(Status.APPROVED,), label=_("Notice of proposed penalty")),
        Step("statement", roles=SQUAD, where=ORGANIZATION, statuses=(Status.NOTIFIED,), label=_("Statement and defence")),
        Step("hearing_request", roles=SQUAD, where=ORGANIZATION, statuses=(Status.NOTIFIED,), when=hearing_requestable,
             label=_("Hearing request")),
        Step("hearing_schedule", roles=SQUAD, where=ORGANIZATION, statuses=(Status.NOTIFIED,), when=hearing_outstanding,
             label=_("Schedule the hearing and notify the party")),
        Step("hearing", roles=SQUAD, where=ORGANIZATION, statuses=(Status.NOTIFIED,), when=hearing_pending, label=_("Hearing")),
        Step("hearing_withdraw", roles=SQUAD, where=ORGANIZATION, statuses=(Status.NOTIFIED,), when=hearing_outstanding,
             label=_("Hearing request withdrawn")),
        Step("decide", roles=(Role.LEADER,), where=JURISDICTION, statuses=(Status.NOTIFIED,), label=_("Decision")),
        Step("serve", roles=SQUAD, where=ORGANIZATION, statuses=(Status.DECIDED,), label=_("Service (送达)")),
        ENFORCE,
        *PAYMENT_STEPS,
        CLOSE,
        ARCHIVE,
        Step("extension", where=OWNER, when=lambda case: case.procedure == Procedure.GENERAL and case.filed_at is not None
             and awaiting_decision(case), status_message=NOT_AWAITING_DECISION, label=_("Extension of the decision limit")),
        Step("extension_approve", roles=(Role.LEADER,), where=JURISDICTION, when=awaiting_decision,
             status_message=NOT_AWAITING_DECISION, label=_("Approve an extension")),
    ),
)

SIMPLE = Policy(
    name="cases.simple",
    subject_label="case",
    steps=(
        # Deciding on the spot makes the case: the subject is the case about to be made (not yet saved), in the place's region.
        Step("onsite_decide", roles=(Role.OFFICER,), where=JURISDICTION, when=lambda case: case.pk is None, label=_("Decide on the spot")),
        Step("onsite_file", roles=SQUAD_LEADER, where=ORGANIZATION, statuses=(Status.ONSITE_DECIDED,),
             label=_("File with the organisation (备案)")),
        EVIDENCE,
        ENFORCE,
        *PAYMENT_STEPS,
        CLOSE,
        ARCHIVE,
    ),
)

POLICIES = {Procedure.GENERAL: GENERAL, Procedure.SIMPLE: SIMPLE}

# After the decision, either procedure: disclosure (art. 48) and review or litigation (art. 73). Legal reviewers and
# leaders of the jurisdiction write; the case's officers read them on the case page.
LEGAL_STAFF = (Role.LEGAL_REVIEWER, Role.LEADER)
NOT_DECIDED = _("The case has no decision yet.")


def _disclosure(case):
    return getattr(case, "disclosure", None) if case.pk is not None and hasattr(case, "disclosure") else None


def disclosure_publishable(case) -> bool:
    """A general-procedure decision not yet published (and not withdrawn before it was)."""
    disclosure = _disclosure(case)
    return case.procedure == Procedure.GENERAL and case.decided_at is not None and (disclosure is None or disclosure.status == "due")


def disclosure_withdrawable(case) -> bool:
    disclosure = _disclosure(case)
    return disclosure is not None and disclosure.status == "published"


def challenge_pending(case) -> bool:
    return case.pk is not None and any(c.pending for c in case.challenges.all())


AFTER_DECISION = Policy(
    name="cases.after_decision",
    subject_label="case",
    steps=(
        Step("disclosure_publish", roles=LEGAL_STAFF, where=JURISDICTION, when=disclosure_publishable,
             status_message=_("Only a general-procedure decision not yet published can be published."), label=_("Publish the decision (公示)")),
        Step("disclosure_withdraw", roles=LEGAL_STAFF, where=JURISDICTION, when=disclosure_withdrawable,
             status_message=_("Only a published decision can be withdrawn."), label=_("Withdraw the publication")),
        Step("challenge", roles=LEGAL_STAFF, where=JURISDICTION, when=lambda case: case.decided_at is not None, status_message=NOT_DECIDED,
             label=_("Record a review or litigation")),
        Step("challenge_outcome", roles=LEGAL_STAFF, where=JURISDICTION, when=challenge_pending,
             status_message=_("No review or litigation is pending."), label=_("Record the outcome")),
    ),
)


def policy_for(case) -> Policy:
    """The table of the case's procedure."""
    return POLICIES[case.procedure]
