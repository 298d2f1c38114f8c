"""Reads of tasks by who asks (dispatchers by jurisdiction, squads their own organisation's tasks), and the
categories and organisations a task's forms may choose from."""
from django.conf import settings
from django.db.models import Q

from apps.accounts.jurisdiction import EVERYTHING, jurisdiction_prefixes, scope_filter, staff_organization_ids
from apps.dispatch.models import OPEN_STATUSES, DuplicateCandidate, Status, Task, WhistleSummons
from apps.gbcp.errors import NotFound
from apps.gbcp.models import Category, Organization


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


def summons_list_for_user(*, user):
    """Whistle summonses of the departments the user serves in as staff, newest first."""
    return (WhistleSummons.objects.filter(department_id__in=staff_organization_ids(user))
            .select_related("whistle__task", "department").order_by("-due_at"))


def summons_get_for_user(*, user, id) -> WhistleSummons:
    """One summons of the user's departments (any, for a superuser); another department's is not found."""
    qs = WhistleSummons.objects.select_related("whistle__task", "department") if user.is_superuser else summons_list_for_user(user=user)
    summons = qs.filter(pk=id).first()
    if summons is None:
        raise NotFound()
    return summons


def task_status_labels() -> dict:
    """Task status codes and their names in the active language (for pages that show live task events)."""
    return {code: str(label) for code, label in Status.choices}


# --- what a task's forms may choose from (every incoming key resolves in these) ----------------

def leaf_categories(*, public_only=False):
    """Active leaf categories (a deadline unit makes a leaf); ``public_only``: those open to public reports."""
    qs = Category.objects.filter(is_active=True).exclude(deadline_unit="")
    if public_only:
        qs = qs.filter(is_public=True)
    return qs.order_by("code")


def district_code(task) -> str:
    return (task.region_code or "")[:6]


def dispatch_organizations(task):
    """Where a task may be sent by hand (a dispatcher's override, a squad's referral): the active teams, street
    offices and departments of its district; an organisation elsewhere answers like one that does not exist."""
    qs = Organization.objects.filter(is_active=True).select_related("region").order_by("region__code", "level", "name")
    code = district_code(task)
    if code:
        qs = qs.filter(region__code__startswith=code)
    return qs.exclude(kind__in=[Organization.Kind.HOTLINE_CENTRE])


def whistle_departments(task):
    """Functional departments and street offices of the task's district."""
    return (
        Organization.objects.filter(
            is_active=True, region__code__startswith=district_code(task) or settings.CITY_REGION_CODE[:4],
            kind__in=[Organization.Kind.FUNCTIONAL_DEPARTMENT, Organization.Kind.STREET_OFFICE],
        )
        .select_related("region").order_by("kind", "region__code", "name")
    )


def street_office_for_task(task):
    """The street office whose street holds the task (the one that may blow the whistle on it), or None.

    Asked by the policy for every page and guard, so the answer is kept on the task object for its lifetime.
    """
    if "_street_office" not in task.__dict__:
        code = task.region_code or ""
        prefixes = [code[:n] for n in range(1, len(code) + 1)]
        task.__dict__["_street_office"] = (
            Organization.objects.filter(kind=Organization.Kind.STREET_OFFICE, region__code__in=prefixes)
            .select_related("region").order_by("-region__code", "pk").first()
            if prefixes else None
        )
    return task.__dict__["_street_office"]
