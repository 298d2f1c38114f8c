"""Read-only helpers of the dispatch staff pages, layered on apps.dispatch.selectors (jurisdiction stays there;
who may do what is apps.dispatch.policy)."""
from django.db.models import Case, Count, IntegerField, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from viewflow.workflow.models import Task as FlowTask

from apps.dispatch import overdue, selectors
from apps.dispatch.models import DuplicateCandidate, Status


def queue_for_user(*, user, status=None, source=None, alert=None, category=None, q=None):
    """The intake queue: open tasks unless a status is asked for, new ones first, with their pending suggestion count."""
    qs = selectors.task_list_for_user(
        user=user, status=status or None, open_only=not status, source=source or None, alert=alert or None,
        category=category or None, q=q or None,
    )
    # A subquery, not a JOIN + GROUP BY, so the geometry column never lands in a GROUP BY.
    pending = (
        DuplicateCandidate.objects.filter(task=OuterRef("pk"), decision=DuplicateCandidate.Decision.SUGGESTED)
        .order_by().values("task").annotate(n=Count("pk")).values("n")
    )
    # On PostgreSQL the order below is read from the partial index dispatch_task_open_queue (migration 0010): change
    # the expression and the index together.
    return qs.annotate(
        suggestion_count=Coalesce(Subquery(pending, output_field=IntegerField()), Value(0)),
        new_first=Case(When(status=Status.NEW, then=Value(0)), default=Value(1), output_field=IntegerField()),
    ).order_by("new_first", "-received_at", "-id")


def overdue_board_for_user(*, user, limit=500):
    """Open tasks overdue or at four fifths of their time, judged from the deadline now (not from the sweep),
    oldest first, grouped by handling organisation."""
    qs = selectors.task_list_for_user(user=user, open_only=True, alert="any")
    tasks = list(qs.order_by("received_at", "id")[:limit])
    groups = {}
    for task in tasks:
        group = groups.setdefault(task.organization_id, {"organization": task.organization, "tasks": [], "red": 0, "yellow": 0})
        group["tasks"].append(task)
        group[task.deadline_state] += 1
    # The organisation with the oldest waiting task comes first (dict keeps insertion order).
    return list(groups.values()), len(tasks)


def tasks_geojson(tasks, link=lambda t: f"/dispatch/tasks/{t.pk}/"):
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature", "id": t.pk,
                "geometry": {"type": "Point", "coordinates": [round(t.point.x, 6), round(t.point.y, 6)]},
                "properties": {
                    "number": t.number, "status": t.get_status_display(), "alert": getattr(t, "deadline_state", None) or overdue.state_of(t),
                    "category": t.category.name if t.category_id else "", "url": link(t),
                },
            }
            for t in tasks if t.point is not None
        ],
    }


def flow_steps(task):
    """The Viewflow steps of the task's process, oldest first (the page's step table)."""
    if task.process_id is None:
        return []
    return list(FlowTask.objects.filter(process_id=task.process_id).select_related("owner").order_by("created", "id"))


def summons_lateness(summons, now=None):
    """Minutes late: recorded when reported in, running while still waiting past the due time."""
    if summons.reported_at is not None:
        return summons.late_minutes or 0
    now = now or timezone.now()
    return max(int((now - summons.due_at).total_seconds() // 60), 0)
