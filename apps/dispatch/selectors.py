"""Reads of tasks by who asks: dispatchers by jurisdiction, squads their own organisation's tasks."""
from django.db.models import Q

from apps.accounts.jurisdiction import EVERYTHING, jurisdiction_prefixes, scope_filter, staff_organization_ids
from apps.dispatch.models import OPEN_STATUSES, DuplicateCandidate, Status, Task
from apps.gbcp.errors import NotFound


def _visible_q(user, org_ids) -> Q | None:
    """None for everything (superuser); else the tasks in the jurisdiction or handled by one's organisation (staff roles only)."""
    if jurisdiction_prefixes(user) is EVERYTHING:
        return None
    visible = Q(organization_id__in=org_ids) if org_ids else Q(pk__in=[])
    return scope_filter(user, "region_code") | visible


def task_list_for_user(*, user, status=None, source=None, alert=None, mine=False, open_only=False, q=None, category=None):
    """Staff see tasks whose region lies in their jurisdiction, or that their organisation handles; a superuser sees
    every task; citizens and merchants see none here (their reports are followed by tracking code)."""
    org_ids = staff_organization_ids(user)
    visible = _visible_q(user, org_ids)
    qs = Task.objects.all() if visible is None else Task.objects.filter(visible)
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
        # Only fields every viewer sees unmasked; reporter name and phone (masked by clearance) are never searched.
        qs = qs.filter(Q(description__icontains=q) | Q(number=q) | Q(address__icontains=q))
    return qs.order_by("-received_at", "-id")


def task_get_for_user(*, user, id) -> Task:
    task = task_list_for_user(user=user).filter(pk=id).first()
    if task is None:
        raise NotFound()
    return task


def task_list_reported_by(*, user):
    """A citizen's or merchant's own reports (made while signed in), newest first; nobody else's."""
    if user is None or not user.is_authenticated:
        return Task.objects.none()
    return Task.objects.filter(reporter_user=user).select_related("category").order_by("-received_at", "-id")


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
