"""Reads of tasks by who asks: dispatchers by jurisdiction, squads their own organisation's tasks."""
from django.db.models import Q

from apps.accounts.jurisdiction import scope_filter
from apps.dispatch.models import OPEN_STATUSES, DuplicateCandidate, Status, Task
from apps.gbcp.errors import NotFound


def task_list_for_user(*, user, status=None, source=None, alert=None, mine=False, open_only=False, q=None, category=None):
    """Staff see tasks whose region lies in their jurisdiction, or that their organisation handles."""
    org_ids = [m.organization_id for m in user._memberships()] if user.is_authenticated else []
    qs = Task.objects.filter(scope_filter(user, "region_code") | Q(organization_id__in=org_ids))
    qs = qs.select_related("category", "organization", "region", "grid", "owner", "master")
    if status:
        qs = qs.filter(status__in=status if isinstance(status, (list, tuple)) else [status])
    if open_only:
        qs = qs.filter(status__in=OPEN_STATUSES)
    if source:
        qs = qs.filter(source=source)
    if alert:
        qs = qs.filter(alert=alert)
    if mine:
        qs = qs.filter(Q(owner=user) | Q(organization_id__in=org_ids))
    if category:
        qs = qs.filter(category__code=category)
    if q:
        qs = qs.filter(Q(description__icontains=q) | Q(number=q) | Q(address__icontains=q))
    return qs.order_by("-received_at", "-id")


def task_get_for_user(*, user, id) -> Task:
    task = task_list_for_user(user=user).filter(pk=id).first()
    if task is None:
        raise NotFound()
    return task


def task_get_by_tracking_code(*, code: str) -> Task:
    """For the public progress page: by the code the reporter was given, nothing else."""
    task = Task.objects.select_related("category", "master").filter(tracking_code=(code or "").strip().upper()).first()
    if task is None:
        raise NotFound()
    return task


def suggestions_for_task(*, task):
    return DuplicateCandidate.objects.filter(task=task).select_related("candidate").order_by("-score")


def task_status_labels() -> dict:
    """Task status codes and their names in the active language (for pages that show live task events)."""
    return {code: str(label) for code, label in Status.choices}
