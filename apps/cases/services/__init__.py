"""Every write of enforcement cases, by noun; ``from apps.cases import services; services.case_file_approve(...)`` as before.

causes (the catalogue), parties (party and discretion proposal), filing (open, edit, penalty, 立案),
investigation (officers, records, evidence, to legal review), review (法制审核, discussion, the leader),
notice (告知, statement, hearing: request, schedule, withdraw, hold), decision (决定, 送达), disclosure (公示, art. 48),
challenges (复议/诉讼, art. 73), payments (the fine and its notice), payment_terms (deferral and instalments, art. 66),
cash (on-the-spot collection and hand-in, arts. 68–71),
execution (enforcement, 结案, 归档), simple (简易程序), deadlines (the decision limit, extensions, warnings).
Who may do each step is the policy table's answer (apps.cases.policy), enforced in ``_common.require``.
"""
from apps.cases.services._common import SQUAD_ROLES
from apps.cases.services.cash import case_cash_collect, case_cash_handin, cash_handin_sweep
from apps.cases.services.causes import catalogue_load, cause_confirm_citations
from apps.cases.services.deadlines import (
    DECISION_WARN_DAYS,
    PAYMENT_WARN_DAYS,
    SERVICE_WARN_DAYS,
    case_deadlines_sweep,
    case_extension_approve,
    case_extension_request,
    decision_due,
)
from apps.cases.services.challenges import challenge_decide, challenge_file
from apps.cases.services.decision import case_decide, case_serve
from apps.cases.services.disclosure import disclosure_deadlines_sweep, disclosure_publish, disclosure_withdraw, disclosures_due
from apps.cases.services.execution import case_archive, case_close, case_enforcement_record
from apps.cases.services.filing import case_file_approve, case_file_refuse, case_open, case_set_penalty, case_update
from apps.cases.services.investigation import case_assign_officers, case_evidence_add, case_record_add, case_submit_review
from apps.cases.services.notice import (
    case_hearing_hold,
    case_hearing_request,
    case_hearing_schedule,
    case_hearing_withdraw,
    case_notify,
    case_statement_record,
    earliest_hearing_day,
    hearing_request_deadline,
)
from apps.cases.services.parties import party_resolve
from apps.cases.services.payment_terms import case_instalment_pay, case_payment_terms_decide, case_payment_terms_request
from apps.cases.services.payments import amount_due_on, payment_notice_receive
from apps.cases.services.review import case_collective_discussion, case_leader_approve, case_leader_return, case_legal_review
from apps.cases.services.simple import case_onsite_decide, case_onsite_file

__all__ = [
    "DECISION_WARN_DAYS", "PAYMENT_WARN_DAYS", "SERVICE_WARN_DAYS", "SQUAD_ROLES",
    "amount_due_on", "case_archive", "case_assign_officers", "case_close", "case_collective_discussion", "case_deadlines_sweep",
    "case_decide", "case_enforcement_record", "case_evidence_add", "case_extension_approve", "case_extension_request",
    "case_file_approve", "case_file_refuse", "case_hearing_hold", "case_hearing_request", "case_leader_approve", "case_leader_return",
    "case_legal_review", "case_notify", "case_onsite_decide", "case_onsite_file", "case_open", "case_record_add", "case_serve",
    "case_set_penalty", "case_statement_record", "case_submit_review", "case_update", "catalogue_load", "cause_confirm_citations",
    "challenge_decide", "challenge_file", "decision_due", "disclosure_deadlines_sweep", "disclosure_publish", "disclosure_withdraw",
    "disclosures_due", "hearing_request_deadline", "party_resolve", "payment_notice_receive",
    "case_cash_collect", "case_cash_handin", "cash_handin_sweep", "case_hearing_schedule", "case_hearing_withdraw", "earliest_hearing_day",
    "case_instalment_pay", "case_payment_terms_decide", "case_payment_terms_request",
]
