"""Template tag that masks personal data for the viewing user: {% masked task.reporter_phone "phone" subject=task %}.

Given the record as ``subject``, a value shown unmasked (full clearance) goes on the access log (apps.gbcp.privacy)."""
from django import template

from apps.gbcp.masking import clearance_for, mask
from apps.gbcp.privacy import note_unmasked

register = template.Library()


@register.simple_tag(takes_context=True)
def masked(context, value, kind, subject=None):
    user = getattr(context.get("request"), "user", None)
    shown = mask(kind, value, clearance_for(user))
    note_unmasked(user=user, value=shown, what=kind, subject=subject)
    return shown
