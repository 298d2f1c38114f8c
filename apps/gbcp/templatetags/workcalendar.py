"""``{% deadline_note start due %}``: says when a deadline runs into a year whose holiday schedule is not published."""
from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from apps.gbcp.workcalendar import provisional_years

register = template.Library()


@register.simple_tag
def deadline_note(start, due, unit="working_days"):
    years = provisional_years(start, due, unit) if start and due else []
    if not years:
        return ""
    return format_html(
        '<span class="badge badge-warning" title="{}">{}</span>',
        _("Counted by the weekday rule until the official holiday schedule of %(years)s is entered.") % {"years": "、".join(map(str, years))},
        _("provisional"),
    )
