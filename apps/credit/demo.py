"""Demo of credit: the default rule set, a few commendations and imported records, grades for every business, risk for every place.

Cheap and idempotent: records carry stable references (``demo:...``), so a second run records nothing new.
"""
import datetime as dt

from django.utils import timezone

from apps.credit import services
from apps.gbcp.models import Entity, Place

DEMO_DEPARTMENT = "市场监督管理局"


def seed(ctx):
    services.ruleset_current()
    today = timezone.localdate()
    entities = list(Entity.objects.select_related("region").order_by("pk"))
    for n, entity in enumerate(entities):
        if n % 7 == 3:
            services.record_commendation(entity=entity, source_ref=f"demo:commendation:{entity.pk}", commended_on=today - dt.timedelta(days=40),
                                         reason="门前三包示范单位")
        if n % 11 == 5:
            services.record_imported(entity=entity, source_ref=f"demo:imported:{entity.pk}", department=DEMO_DEPARTMENT, weight=-8,
                                     occurred_on=today - dt.timedelta(days=120), reason="食品安全抽检不合格")
    for entity in entities:
        services.recompute_grade(entity=entity, with_places=False)
    services.recompute_risks(places=Place.objects.filter(is_active=True).select_related("region").order_by("pk"))
