"""Template tag that shows a correction's current or proposed value masked for the viewer, like the API does."""
from django import template

from apps.gbcp.masking import clearance_for, mask
from apps.gbcp.privacy import note_unmasked
from apps.ledger.selectors import correction_mask_kind

register = template.Library()


@register.simple_tag(takes_context=True)
def correction_value(context, correction, which):
    """``which`` is "current" or "proposed"; the proposer sees their own proposed value as typed."""
    user = getattr(context.get("request"), "user", None)
    value = correction.current_value if which == "current" else correction.proposed_value
    if which == "proposed" and user is not None and getattr(user, "pk", None) == correction.reported_by_id:
        return value
    kind = correction_mask_kind(model_name=correction.target_type.model, field=correction.field)
    if not kind:
        return value
    shown = mask(kind, value, clearance_for(user))
    note_unmasked(user=user, value=shown, what=f"{correction.field}", subject=correction)  # full clearance: on the access log
    return shown
