"""Reads of tasks by who asks (dispatchers by jurisdiction, squads their own organisation's tasks), and the
categories and organisations a task's forms may choose from."""
from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone

from apps.accounts.jurisdiction import EVERYTHING, jurisdiction_prefixes, scope_filter, staff_organization_ids
from apps.accounts.models import Membership, Role
from apps.dispatch import overdue
from apps.dispatch.models import OPEN_STATUSES, DuplicateCandidate, Status, Task, TaskLog, TaskPhoto, WhistleSummons
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
    now = timezone.now()
    # "red"/"yellow" from the deadline at read time (apps.dispatch.overdue), never from the sweep's Task.alert.
    qs = qs.select_related("category", "organization", "region", "grid", "owner", "master").annotate(deadline_state=overdue.deadline_state(now))
    if status:
        qs = qs.filter(status__in=status if isinstance(status, (list, tuple)) else [status])
    if open_only:
        qs = qs.filter(status__in=OPEN_STATUSES)
    if source:
        qs = qs.filter(source=source)
    if alert:
        qs = overdue.filter_state(qs, alert, now)
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


def deadline_counts_for_user(*, user) -> dict:
    """Open tasks the user may see that are overdue ("red") and at four fifths of their time ("yellow"), right now."""
    now = timezone.now()
    qs = task_list_for_user(user=user).order_by()
    return qs.aggregate(red=Count("pk", filter=overdue.red_q(now)), yellow=Count("pk", filter=overdue.yellow_q(now)))


def task_photo_get_for_user(*, user, id) -> TaskPhoto:
    """A photo of a task the user may see; any other photo is not found, exactly like one that does not exist."""
    photo = TaskPhoto.objects.select_related("task").filter(pk=id).first()
    if photo is None or not task_list_for_user(user=user).filter(pk=photo.task_id).exists():
        raise NotFound()
    return photo


def task_photo_of_task(*, task, id) -> TaskPhoto:
    """A photo of this task (the task already resolved for the caller); another task's photo is not found."""
    photo = TaskPhoto.objects.select_related("task").filter(pk=id, task=task).first()
    if photo is None:
        raise NotFound()
    return photo


def photo_download_name(photo) -> str:
    """The name a photo is shown and saved under: task number, stage and photo number (never the random stored name)."""
    ext = photo.image.name.rsplit(".", 1)[-1].lower() if "." in photo.image.name else "jpg"
    return f"{photo.task.number}-{photo.get_stage_display()}-{photo.pk}.{ext}"


def track_photos(*, report):
    """What the holder of a tracking code may see: the photos sent with that report, and, once the task that carries
    the problem (the report itself, or the task it was merged into) is closed, its photos taken after handling
    (feedback photos the dispatcher has not yet accepted are not shown). Another reporter's photos stay hidden."""
    carrier = report.master if report.master_id else report
    shown = Q(task_id=report.pk, stage=TaskPhoto.Stage.REPORT)
    if carrier.status == Status.CLOSED:
        shown |= Q(task_id=carrier.pk, stage=TaskPhoto.Stage.FEEDBACK)
    return TaskPhoto.objects.filter(shown).select_related("task").order_by("uploaded_at", "id")


def track_photo_get(*, code: str, id) -> TaskPhoto:
    photo = track_photos(report=task_get_by_tracking_code(code=code)).filter(pk=id).first()
    if photo is None:
        raise NotFound()
    return photo


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


def dispatch_officers(task):
    """The officers and squad leaders a dispatcher may name as the officer in charge: active staff of the
    organisations the task may be sent to (``dispatch_organizations``), one row per membership with its
    organisation, ordered by organisation and name."""
    return (
        Membership.objects.filter(
            is_active=True, user__is_active=True, role__in=[Role.OFFICER, Role.SQUAD_LEADER],
            organization__in=dispatch_organizations(task),
        )
        .select_related("user", "organization")
        .order_by("organization__region__code", "organization__name", "user__last_name", "user__first_name", "user__username")
    )


def officer_for_dispatch(task, organization, user_id):
    """The officer ``user_id`` if they serve as officer or squad leader in ``organization``; otherwise ``None``
    (an officer elsewhere answers like one that does not exist)."""
    return next((m.user for m in dispatch_officers(task).filter(organization=organization, user_id=user_id)[:1]), None)


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


# --- read by supervision ---
# Unscoped reads for the rules engine (apps.supervision.services.rules), which runs as the system, never for a person.

def supervision_tasks_overdue(*, cutoff):
    """Open tasks whose deadline passed at or before ``cutoff``, with their handling unit and place."""
    return (Task.objects.filter(status__in=OPEN_STATUSES, deadline__isnull=False, deadline__lte=cutoff)
            .select_related("organization", "place", "grid").order_by("deadline", "pk"))


def supervision_complaints_since(*, since):
    """Tasks (complaints, merged duplicates included) received since ``since`` at a place or in a grid, oldest first."""
    return (Task.objects.filter(received_at__gte=since).filter(Q(place__isnull=False) | Q(grid__isnull=False))
            .select_related("organization", "place", "grid").order_by("received_at", "pk"))


def supervision_dissatisfied_since(*, since):
    """Tasks whose reporter rated them dissatisfied (TaskRating level "dissatisfied") since ``since``, with the rating."""
    return (Task.objects.filter(rating__level="dissatisfied", rating__rated_at__gte=since)
            .select_related("rating", "organization", "place", "grid").order_by("rating__rated_at", "pk"))


def supervision_summonses_late(*, blown_since, late_minutes, due_before):
    """Summonses of whistles blown since ``blown_since`` answered more than ``late_minutes`` late, or not at all although
    due before ``due_before``."""
    late = Q(reported_at__isnull=False, late_minutes__gt=late_minutes) | Q(reported_at__isnull=True, due_at__lt=due_before)
    return (WhistleSummons.objects.filter(late, whistle__blown_at__gte=blown_since)
            .select_related("whistle__task", "department__region").order_by("due_at", "pk"))


def supervision_tasks_returned(*, actions, more_than, received_since):
    """Tasks received since ``received_since`` whose log holds more than ``more_than`` entries of ``actions``,
    annotated with ``return_count``."""
    return (Task.objects.filter(received_at__gte=received_since)
            .annotate(return_count=Count("logs", filter=Q(logs__action__in=list(actions))))
            .filter(return_count__gt=more_than).select_related("organization", "place", "grid").order_by("pk"))


# --- read by evaluation ---
# The cohorts of docs/EVALUATION.md: apps.evaluation counts these rows, it never reads the task tables itself.

EVALUATION_REROUTE_ACTIONS = ("return", "refer")


def evaluation_tasks(*, organization_ids=None, start, end):
    """The cohort T: tasks received in [start, end) held by one of ``organization_ids`` (any organisation when None),
    merged duplicates left out; annotated with ``ev_rerouted`` (returned or referred at least once), ``ev_reopened``
    (sent back for 重办) and ``ev_rating`` (the rating level, None when unrated)."""
    qs = Task.objects.filter(received_at__gte=start, received_at__lt=end, organization__isnull=False).exclude(status=Status.MERGED)
    if organization_ids is not None:
        qs = qs.filter(organization_id__in=list(organization_ids))
    return qs.annotate(
        ev_rerouted=Exists(TaskLog.objects.filter(task=OuterRef("pk"), action__in=EVALUATION_REROUTE_ACTIONS)),
        ev_reopened=Exists(Task.objects.filter(reopened_from=OuterRef("pk"))),
        ev_rating=F("rating__level"),
    )


EVALUATION_TASK_FIELDS = ("organization_id", "status", "received_at", "accepted_at", "deadline", "solved", "ev_rating", "ev_rerouted", "ev_reopened")


def evaluation_task_rows(*, organization_ids=None, start, end):
    """The cohort as tuples of ``EVALUATION_TASK_FIELDS`` (for counting, streamed in chunks)."""
    return evaluation_tasks(organization_ids=organization_ids, start=start, end=end).order_by().values_list(*EVALUATION_TASK_FIELDS)


def evaluation_task_list(*, organization_ids, start, end):
    """The cohort for a drill-down list: with what the list shows, newest first."""
    return evaluation_tasks(organization_ids=organization_ids, start=start, end=end).select_related("category", "organization").order_by("-received_at", "-id")


def evaluation_changed_times(*, since):
    """The instants whose rollup day may have moved since ``since``: ``received_at`` of the tasks saved, rated or
    reopened since, and ``due_at`` of the summonses reported in since."""
    changed = Task.objects.filter(Q(updated_at__gte=since) | Q(rating__rated_at__gte=since)).order_by().values_list("received_at", flat=True)
    originals = Task.objects.filter(reopenings__created_at__gte=since).order_by().values_list("received_at", flat=True)
    reported = WhistleSummons.objects.filter(reported_at__gte=since).order_by().values_list("due_at", flat=True)
    return list(changed.distinct()) + list(originals.distinct()) + list(reported)


def evaluation_summonses(*, organization_ids=None, start, end):
    """Whistle summonses due in [start, end) addressed to one of ``organization_ids`` (any when None)."""
    qs = WhistleSummons.objects.filter(due_at__gte=start, due_at__lt=end)
    if organization_ids is not None:
        qs = qs.filter(department_id__in=list(organization_ids))
    return qs


def evaluation_summons_rows(*, organization_ids=None, start, end):
    return evaluation_summonses(organization_ids=organization_ids, start=start, end=end).order_by().values_list(
        "department_id", "due_at", "reported_at", "late_minutes")


def evaluation_summons_list(*, organization_ids, start, end):
    return (evaluation_summonses(organization_ids=organization_ids, start=start, end=end)
            .select_related("whistle__task", "department").order_by("-due_at", "-id"))
