"""``{% business_inspection_summary as s %}``: what the business's home page shows of inspection (apps.portal names the
section template in ``PORTAL_BUSINESS_SECTIONS``; the portal imports no inspection code)."""
from django import template

from apps.inspection import rectification_selectors as selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def business_inspection_summary(context):
    user = context["request"].user
    return {
        "records": selectors.business_inspections(user=user, limit=10),
        "rectifications": list(selectors.rectification_list_for_user(user=user, open_only=True)[:20]),
    }
