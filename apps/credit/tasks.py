"""Celery tasks of credit (thin: they call services)."""
from celery import shared_task
from django.utils import timezone

from apps.credit import services
from apps.gbcp.models import Entity, Place


@shared_task
def grade_recompute(entity_id):
    """After a record changed: the business's grade, then its places' risk."""
    entity = Entity.objects.filter(pk=entity_id).first()
    if entity is None:
        return None
    return services.recompute_grade(entity=entity).grade


@shared_task
def grades_recompute_all():
    """After a new rule set is activated."""
    return services.recompute_all()


@shared_task
def expire_and_refresh():
    """Daily: expire records whose time has come, recompute every grade (also the sweep for any recompute lost after a
    commit) and every place's risk (its window and recency move with the days)."""
    expired = services.expire_records(today=timezone.localdate())
    graded = services.recompute_all()
    rated = services.recompute_risks(places=Place.objects.filter(is_active=True).select_related("region").order_by("pk").iterator(chunk_size=500))
    return {"expired": expired, "recomputed": graded, "risks": rated}
