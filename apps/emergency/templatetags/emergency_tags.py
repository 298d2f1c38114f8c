"""Labels for the CAP 1.2 code values a warning carries (pages show words, never the standard's codes)."""
from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

CAP_LABELS = {
    "status": {"Actual": _("actual"), "Exercise": _("exercise"), "System": _("system message"), "Test": _("test"), "Draft": _("draft")},
    "msg_type": {"Alert": _("new warning"), "Update": _("update"), "Cancel": _("cancellation"), "Ack": _("acknowledgement"),
                 "Error": _("error notice")},
    "urgency": {"Immediate": _("immediate"), "Expected": _("expected soon"), "Future": _("in the near future"), "Past": _("past"),
                "Unknown": _("unknown")},
    "severity": {"Extreme": _("extreme"), "Severe": _("severe"), "Moderate": _("moderate"), "Minor": _("minor"), "Unknown": _("unknown")},
    "certainty": {"Observed": _("observed"), "Likely": _("likely"), "Possible": _("possible"), "Unlikely": _("unlikely"),
                  "Unknown": _("unknown")},
}


@register.filter
def cap_label(value, kind):
    """``{{ alert.severity|cap_label:"severity" }}`` → 严重; an unknown value shows as a dash."""
    if not value:
        return "—"
    return CAP_LABELS.get(kind, {}).get(value, "—")
