"""Every write of coordination: case leads (``leads``), joint operations (``operations``) and data sharing (``sharing``).

``from apps.coordination import services; services.lead_send(...)``: the public names of the modules are here.
"""
from apps.coordination.services.leads import (
    lead_accept_in,
    lead_acknowledge,
    lead_answer,
    lead_close,
    lead_create,
    lead_document_add,
    lead_feedback,
    lead_refuse_in,
    lead_register,
    lead_send,
    leads_sweep,
)
from apps.coordination.services.operations import (
    operation_cancel,
    operation_check_in,
    operation_close,
    operation_counts,
    operation_create,
    operation_finding_record,
    operation_report,
)
from apps.coordination.services.sharing import access_record, token_check, token_issue, token_revoke

__all__ = [
    "access_record", "lead_accept_in", "lead_acknowledge", "lead_answer", "lead_close", "lead_create", "lead_document_add", "lead_feedback",
    "lead_refuse_in", "lead_register", "lead_send", "leads_sweep", "operation_cancel", "operation_check_in", "operation_close",
    "operation_counts", "operation_create", "operation_finding_record", "operation_report", "token_check", "token_issue", "token_revoke",
]
