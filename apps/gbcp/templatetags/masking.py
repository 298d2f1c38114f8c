"""Template filter that masks personal data for the viewing user: {{ value|masked:"phone" }}."""
from django import template

from apps.gbcp.masking import clearance_for, mask

register = template.Library()


@register.simple_tag(takes_context=True)
def masked(context, value, kind):
    request = context.get("request")
    return mask(kind, value, clearance_for(getattr(request, "user", None)))
