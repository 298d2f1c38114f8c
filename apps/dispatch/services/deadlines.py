"""The deadline sweep: tasks turn yellow at four fifths of their time and red when overdue, and people are told."""
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.dispatch import events
from apps.dispatch.models import OPEN_STATUSES, Task, TaskLog
from apps.gbcp.audit import acting_as


def deadlines_sweep(*, user=None, now=None) -> dict:
    """Mark yellow (80% of the time used) and red (overdue); notify owner and dispatchers on change."""
    now = now or timezone.now()
    counts = {"yellow": 0, "red": 0}
    open_tasks = Task.objects.filter(status__in=OPEN_STATUSES, deadline__isnull=False).exclude(alert=Task.Alert.RED)
    for task in open_tasks.only("id", "received_at", "deadline", "alert", "region_code", "owner_id", "organization_id", "number").iterator():
        total = (task.deadline - task.received_at).total_seconds()
        used = (now - task.received_at).total_seconds()
        if now >= task.deadline:
            level = Task.Alert.RED
        elif total > 0 and used / total >= settings.DISPATCH_YELLOW_FRACTION:
            level = Task.Alert.YELLOW
        else:
            continue
        if level == task.alert:
            continue
        with transaction.atomic(), acting_as(user):
            changed = Task.objects.filter(pk=task.pk).exclude(alert=level).update(alert=level)
            if changed:
                fresh = Task.objects.select_related("owner").get(pk=task.pk)
                TaskLog.record(fresh, f"alert_{level}", user)
                events.task_alert(fresh, level)
                counts[level] += 1
    return counts
