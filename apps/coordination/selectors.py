"""Reads of coordination by who asks: joint operations (planners of the jurisdiction and the people taking part), case leads (staff by jurisdiction, a receiving department its own leads once
sent), the departments a lead may go to, the sharing tokens and access log (auditors by jurisdiction), and the leads
whose deadlines the sweep watches."""
from django.db.models import Prefetch, Q
from django.utils import timezone

from apps.accounts.jurisdiction import (
    EVERYTHING,
    jurisdiction_prefixes,
    scope_filter,
    staff_members,
    staff_organization_ids,
    staff_organizations,
)
from apps.coordination.models import (
    OPEN_STATUSES,
    Direction,
    JointOperation,
    Lead,
    LeadLog,
    OperationDepartment,
    OperationFinding,
    OperationLog,
    OperationParticipant,
    ShareAccess,
    ShareToken,
    Status,
)
from apps.coordination.policy import AUDITORS, COORDINATORS, PLANNERS
from apps.gbcp.errors import NotFound
from apps.gbcp.models import Organization


def _visible(user):
    if user is None or not getattr(user, "is_authenticated", False):
        return Lead.objects.none()
    if jurisdiction_prefixes(user) is EVERYTHING:
        return Lead.objects.all()
    org_ids = staff_organization_ids(user)
    # The receiving department sees the leads handed out to it, once sent (never our drafts).
    theirs = Q(direction=Direction.OUT, department_id__in=org_ids) & ~Q(status=Status.DRAFT)
    return Lead.objects.filter(scope_filter(user, "region_code") | theirs)


def lead_list_for_user(*, user, direction=None, status=None, department=None, overdue=None, q=None, now=None):
    """Leads the user may see, newest first; filters by direction, status (or "open"), department, overdue deadline and text."""
    qs = _visible(user).select_related("organization", "department")
    if direction:
        qs = qs.filter(direction=direction)
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    if department:
        qs = qs.filter(department_id=department)
    if overdue:
        now = now or timezone.now()
        qs = qs.filter(Q(status=Status.SENT, receipt_due__lte=now) | Q(direction=Direction.OUT, status=Status.ACCEPTED, feedback_due__lte=now))
    if q:
        q = q.strip()
        qs = qs.filter(Q(number__icontains=q) | Q(title__icontains=q) | Q(external_ref__icontains=q))
    return qs.order_by("-created_at", "-id")


def lead_get_for_user(*, user, id) -> Lead:
    """One lead the user may see, with its links, evidence, documents and log; another's is not found."""
    try:
        id = int(id)
    except (TypeError, ValueError):
        raise NotFound()
    lead = (lead_list_for_user(user=user)
            .select_related("task", "case", "place", "created_by", "organization__region", "department__region")
            .prefetch_related("evidence", "documents", Prefetch("logs", queryset=LeadLog.objects.select_related("actor")))
            .filter(pk=id).first())
    if lead is None:
        raise NotFound()
    return lead


def departments_for_user(*, user):
    """The other departments (functional departments) a lead may go to or come from: the city's and those of the
    user's jurisdiction."""
    qs = Organization.objects.filter(is_active=True, kind=Organization.Kind.FUNCTIONAL_DEPARTMENT)
    if jurisdiction_prefixes(user) is EVERYTHING:
        return qs.select_related("region").order_by("region__code", "level", "name")
    return qs.filter(scope_filter(user, "region__code") | Q(level=Organization.Level.CITY)).select_related("region").order_by(
        "region__code", "level", "name")


def department_get_for_user(*, user, id) -> Organization:
    found = departments_for_user(user=user).filter(pk=id).first() if str(id).isdigit() else None
    if found is None:
        raise NotFound()
    return found


def units_for_user(*, user):
    """Our units the user coordinates for (a lead's own side); all active units of the city for a superuser."""
    if getattr(user, "is_superuser", False):
        return list(Organization.objects.filter(is_active=True).exclude(kind=Organization.Kind.FUNCTIONAL_DEPARTMENT)
                    .exclude(kind=Organization.Kind.HOTLINE_CENTRE).select_related("region").order_by("region__code", "level", "name"))
    return [org for org in staff_organizations(user, COORDINATORS) if org.kind != Organization.Kind.FUNCTIONAL_DEPARTMENT]


def leads_to_watch(*, now, horizon):
    """Sent leads awaiting receipt and accepted leads awaiting a result, due before ``now + horizon``: for the sweep."""
    soon = now + horizon
    return (Lead.objects.filter(Q(status=Status.SENT, receipt_due__lte=soon) | Q(direction=Direction.OUT, status=Status.ACCEPTED, feedback_due__lte=soon))
            .select_related("organization", "department", "created_by").order_by("pk"))


# --- data sharing ----------------------------------------------------------------------------------------------------


def tokens_for_user(*, user):
    """Tokens an auditor may see: those whose region lies in the auditor's jurisdiction."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ShareToken.objects.none()
    if not (user.is_superuser or user.has_role(*AUDITORS)):
        return ShareToken.objects.none()
    qs = ShareToken.objects.select_related("organization", "created_by", "revoked_by")
    if jurisdiction_prefixes(user) is EVERYTHING:
        return qs
    return qs.filter(scope_filter(user, "region_code"))


def token_get_for_user(*, user, id) -> ShareToken:
    found = tokens_for_user(user=user).filter(pk=id).first() if str(id).isdigit() else None
    if found is None:
        raise NotFound()
    return found


def token_by_key_id(key_id: str):
    return ShareToken.objects.select_related("organization").filter(key_id=key_id).first()


def accesses_for_user(*, user, dataset=None, organization=None, outcome=None, token=None, since=None, until=None):
    """The access log an auditor may read: rows of the regions in the auditor's jurisdiction (refusals of unknown
    tokens, which name no region, only for the city's auditors)."""
    if user is None or not getattr(user, "is_authenticated", False) or not (user.is_superuser or user.has_role(*AUDITORS)):
        return ShareAccess.objects.none()
    qs = ShareAccess.objects.select_related("token", "organization", "user")
    if jurisdiction_prefixes(user) is not EVERYTHING:
        qs = qs.filter(scope_filter(user, "region_code"))
    if dataset:
        qs = qs.filter(dataset=dataset)
    if organization:
        qs = qs.filter(organization_id=organization)
    if outcome:
        qs = qs.filter(outcome=outcome)
    if token:
        qs = qs.filter(token_id=token)
    if since:
        qs = qs.filter(at__date__gte=since)
    if until:
        qs = qs.filter(at__date__lte=until)
    return qs.order_by("-at", "-id")


# --- joint operations ------------------------------------------------------------------------------------------------


def _operations_visible(user):
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_staff_member() and not user.is_superuser:
        return JointOperation.objects.none()
    if jurisdiction_prefixes(user) is EVERYTHING:
        return JointOperation.objects.all()
    mine = Q(attendance__user=user)
    if user.has_role(*PLANNERS):
        return JointOperation.objects.filter(Q(pk__in=JointOperation.objects.filter(scope_filter(user, "region_code")).values("pk"))
                                             | Q(pk__in=JointOperation.objects.filter(mine).values("pk")))
    return JointOperation.objects.filter(pk__in=JointOperation.objects.filter(mine).values("pk"))


def operation_list_for_user(*, user, status=None, q=None):
    """Operations the user plans (a planner of the jurisdiction) or takes part in, the newest window first."""
    qs = _operations_visible(user).select_related("organization", "region")
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(title__icontains=q.strip())
    return qs.order_by("-starts_at", "-id")


def operation_get_for_user(*, user, id) -> JointOperation:
    """One operation with its departments, people, findings and log; another's is not found."""
    try:
        id = int(id)
    except (TypeError, ValueError):
        raise NotFound()
    operation = (operation_list_for_user(user=user).select_related("created_by").prefetch_related(
        Prefetch("departments", queryset=OperationDepartment.objects.select_related("department").prefetch_related("duties")),
        Prefetch("attendance", queryset=OperationParticipant.objects.select_related("user").order_by("user__username")),
        Prefetch("findings", queryset=OperationFinding.objects.select_related("category", "department", "task", "case", "recorded_by")),
        Prefetch("logs", queryset=OperationLog.objects.select_related("actor")),
    ).filter(pk=id).first())
    if operation is None:
        raise NotFound()
    return operation


def operation_staff_for_user(*, user, organizations):
    """Staff who may be named as participants: those serving in our units the planner coordinates and in the chosen
    departments."""
    return staff_members(organization_ids=[o.pk for o in organizations])


def operation_departments_for_user(*, user):
    """Departments that may join an operation the user plans: those of the user's jurisdiction, of the regions above it
    (a street's squad works with the district's regulators) and the city's."""
    qs = Organization.objects.filter(is_active=True, kind=Organization.Kind.FUNCTIONAL_DEPARTMENT).select_related("region")
    prefixes = jurisdiction_prefixes(user)
    if prefixes is EVERYTHING:
        return qs.order_by("region__code", "level", "name")
    above = {p[:k] for p in prefixes for k in range(2, len(p) + 1)}
    return qs.filter(scope_filter(user, "region__code") | Q(region__code__in=above) | Q(level=Organization.Level.CITY)).order_by(
        "region__code", "level", "name")
