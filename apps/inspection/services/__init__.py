"""Every write of patrol inspection, by noun: checklists, plans, inspectors, draws, records, findings, self-checks.

``from apps.inspection import services; services.inspection_record(...)`` keeps working: the public names
of the modules are here.
"""
from apps.inspection.services._common import place_risk_weight
from apps.inspection.services.checklists import checklist_ensure, checklist_for_kind
from apps.inspection.services.draws import draw_compute, draw_create, draw_digest, draw_publish, draw_replay
from apps.inspection.services.findings import finding_to_case, finding_to_task
from apps.inspection.services.inspectors import conflict_declare, qualification_ensure, qualified_inspectors
from apps.inspection.services.plans import (
    assignment_sweep_overdue,
    place_interval_days,
    plan_create,
    plan_generate_assignments,
    plan_places,
    plan_start_on_patrol,
)
from apps.inspection.services.record_keys import inspection_record_idempotent, record_keys_prune
from apps.inspection.services.records import (
    NEAREST_PLACE_MAX_M,
    USCC_IN_TEXT,
    PlaceMatch,
    inspection_record,
    place_identify,
    uscc_from_licence_photo,
)
from apps.inspection.services.self_checks import self_check_submit

__all__ = [
    "NEAREST_PLACE_MAX_M", "USCC_IN_TEXT", "PlaceMatch", "assignment_sweep_overdue", "checklist_ensure", "checklist_for_kind",
    "conflict_declare", "draw_compute", "draw_create", "draw_digest", "draw_publish", "draw_replay", "finding_to_case",
    "finding_to_task", "inspection_record", "inspection_record_idempotent", "record_keys_prune", "place_identify", "place_interval_days", "place_risk_weight", "plan_create",
    "plan_generate_assignments", "plan_places", "plan_start_on_patrol", "qualification_ensure", "qualified_inspectors",
    "self_check_submit", "uscc_from_licence_photo",
]
