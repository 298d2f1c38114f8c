"""Every write of the ledger, by noun: imports with lineage, the comparison (比对) and its send-backs, corrections (纠错).

``from apps.ledger import services; services.ledger_import(...)`` keeps working: the public names of the
modules are here.
"""
from apps.ledger.services.catalogue import licence_kind_ensure
from apps.ledger.services.comparison import (
    DEFAULT_FOOD_DEPARTMENT,
    DEFAULT_REGISTRATION_DEPARTMENT,
    FINDING_COLUMNS,
    FINDING_HEADERS_ZH,
    comparison_run,
    finding_send_back,
)
from apps.ledger.services.corrections import CORRECTABLE_FIELDS, correction_report, correction_review
from apps.ledger.services.frontage import frontage_assess, grade_for, zone_duties
from apps.ledger.services.importing import ImportReport, RowError, ledger_import
from apps.ledger.services.rows import NEAREST_PLACE_METRES, RowInvalid, nearest_place, square_around

__all__ = [
    "CORRECTABLE_FIELDS", "DEFAULT_FOOD_DEPARTMENT", "DEFAULT_REGISTRATION_DEPARTMENT", "FINDING_COLUMNS", "FINDING_HEADERS_ZH",
    "ImportReport", "NEAREST_PLACE_METRES", "RowError", "RowInvalid", "comparison_run", "correction_report", "correction_review",
    "finding_send_back", "frontage_assess", "grade_for", "ledger_import", "licence_kind_ensure", "nearest_place", "square_around", "zone_duties",
]
