"""Personal data kept no longer than allowed, and reads of it on record (PIPL): the registry each app declares its
records in, the access log helper, the retention job and the subject export. See docs/OPERATIONS.md "Personal data"."""
from apps.gbcp.privacy.access import log_access, note_unmasked
from apps.gbcp.privacy.registry import (
    BLANK, MARKER, MARKER_TEXT, MASK, NULL, PersonalData, PersonalField, Retention, declarations, register,
)

__all__ = [
    "BLANK", "MARKER", "MARKER_TEXT", "MASK", "NULL", "PersonalData", "PersonalField", "Retention", "declarations",
    "log_access", "note_unmasked", "register",
]
