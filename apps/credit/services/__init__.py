"""Every write of credit and risk, by noun: records (with expiry and repair), grades and rule sets, objections, place risk.

``from apps.credit import services; services.record_penalty_decision(...)`` is how producers tell credit.
"""
from apps.credit.services._common import ruleset_current
from apps.credit.services.exports import joint_list_export
from apps.credit.services.grades import recompute_all, recompute_grade, ruleset_activate, ruleset_new_version
from apps.credit.services.imports import credit_import, import_source_ref
from apps.credit.services.objections import objection_decide, objection_submit
from apps.credit.services.records import (
    expire_records,
    record_commendation,
    record_complaint_upheld,
    record_frontage_performance,
    record_imported,
    record_inspection_finding,
    record_penalty_decision,
    record_self_check,
    repair_record,
    repairable_from,
)
from apps.credit.services.risk import place_risk, recompute_place_risk, recompute_risks

__all__ = [
    "credit_import", "expire_records", "import_source_ref", "joint_list_export", "objection_decide", "objection_submit", "place_risk", "recompute_all", "recompute_grade", "recompute_place_risk",
    "recompute_risks", "record_commendation", "record_complaint_upheld", "record_frontage_performance", "record_imported",
    "record_inspection_finding", "record_penalty_decision", "record_self_check", "repair_record", "repairable_from", "ruleset_activate",
    "ruleset_current", "ruleset_new_version",
]
