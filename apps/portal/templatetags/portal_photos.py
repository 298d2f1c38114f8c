"""``{% track_photos report as photos %}``: the photos the tracking page shows (apps.dispatch.selectors.track_photos),
split into the reporter's own and those taken after handling."""
from django import template

from apps.dispatch import selectors
from apps.dispatch.models import TaskPhoto

register = template.Library()


@register.simple_tag
def track_photos(report):
    photos = list(selectors.track_photos(report=report)) if report is not None else []
    return {
        "report": [p for p in photos if p.stage == TaskPhoto.Stage.REPORT],
        "feedback": [p for p in photos if p.stage == TaskPhoto.Stage.FEEDBACK],
    }
