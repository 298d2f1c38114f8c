"""Reads of emergency (应急调度), each limited to the caller's jurisdiction; "not yours" is "not there"."""
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from apps.accounts.jurisdiction import EVERYTHING, jurisdiction_prefixes, scope_queryset, staff_memberships
from apps.emergency.models import Alert, Incident, PrePlan
from apps.emergency.policy import EDITORS, READERS
from apps.gbcp.models import Category, Grid, Organization, Region


def _reader(user) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or bool(staff_memberships(user, READERS))


def plan_list_for_user(*, user, event_type=None, current_only=True):
    if not _reader(user):
        return PrePlan.objects.none()
    qs = scope_queryset(PrePlan.objects.all(), user, field="region__code")
    if current_only:
        qs = qs.filter(is_current=True)
    if event_type:
        qs = qs.filter(event_type=event_type)
    return qs.select_related("region", "created_by").prefetch_related("steps__squad", "steps__category", "steps__area_region")


def plan_get_for_user(*, user, id) -> PrePlan:
    try:
        return plan_list_for_user(user=user, current_only=False).get(pk=id)
    except (PrePlan.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def alert_list_for_user(*, user):
    """Warnings that touch the user's jurisdiction (matched to one of its regions)."""
    if not _reader(user):
        return Alert.objects.none()
    prefixes = jurisdiction_prefixes(user)
    if prefixes is EVERYTHING:
        return Alert.objects.all().defer("xml")
    # A region inside the jurisdiction, or one that holds it (a district-wide warning concerns each of its streets).
    touching = Q(pk__in=[])
    for prefix in prefixes:
        touching |= Q(region__code__startswith=prefix) | Q(region__code__in=[prefix[:n] for n in (6, 9) if len(prefix) > n])
    regions = Alert.regions.through.objects.filter(touching)
    return Alert.objects.filter(pk__in=regions.values("alert_id")).defer("xml")


def alert_get_for_user(*, user, id) -> Alert:
    try:
        return alert_list_for_user(user=user).get(pk=id)
    except (Alert.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def incident_list_for_user(*, user, status=None):
    if not _reader(user):
        return Incident.objects.none()
    qs = scope_queryset(Incident.objects.all(), user, field="region__code")
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("plan", "region", "alert", "opened_by")


def incident_get_for_user(*, user, id) -> Incident:
    try:
        return incident_list_for_user(user=user).get(pk=id)
    except (Incident.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def active_incidents(*, user):
    """The active incidents the user may see, newest first, with their timeline: for the big screen."""
    return incident_list_for_user(user=user, status=Incident.Status.ACTIVE).prefetch_related("entries__actor")


def may_read(user) -> bool:
    """Whether the user has the emergency pages at all (the menu entry, the pages' 403 otherwise)."""
    return _reader(user)


def plan_versions(*, user, plan):
    """Every version of the plan's region and event type, newest first (the plan itself included)."""
    return plan_list_for_user(user=user, current_only=False).filter(region=plan.region, event_type=plan.event_type).order_by("-version")


def current_alerts(*, user):
    """Warnings of the user's jurisdiction in force: not cancelled, not superseded, not expired; newest first."""
    now = timezone.now()
    return (alert_list_for_user(user=user).filter(is_cancelled=False, superseded_by__isnull=True)
            .filter(Q(expires__isnull=True) | Q(expires__gt=now)).prefetch_related("regions").order_by("-sent", "-pk"))


def plans_matching_alert(*, user, alert, regions=None):
    """Current pre-plans the user may read for the warning's event type whose jurisdiction holds, or lies inside, one
    of the regions the warning matched."""
    regions = list(alert.regions.all()) if regions is None else regions
    if not alert.event_type or not regions:
        return PrePlan.objects.none()
    near = Q(pk__in=[])
    for region in regions:
        near |= Q(region__code__startswith=region.code)
        for length in (4, 6, 9):  # the plan's jurisdiction holds the region: its scope is a prefix of the region's code
            if len(region.code) > length:
                near |= Q(region__scope=region.code[:length])
        near |= Q(region__scope=region.code)
    return plan_list_for_user(user=user, event_type=alert.event_type).filter(near).order_by("region__code")


def plans_matching_alerts(*, user, alerts) -> dict:
    """{alert id: [plans]} for a page of warnings (one query per warning at most; the page shows a few)."""
    return {alert.pk: list(plans_matching_alert(user=user, alert=alert, regions=list(alert.regions.all()))) for alert in alerts}


def editable_regions(*, user):
    """Districts and streets where the user may write pre-plans (their jurisdiction, as leader or administrator)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Region.objects.none()
    qs = Region.objects.filter(level__in=[Region.Level.DISTRICT, Region.Level.STREET]).defer("boundary")
    if user.is_superuser:
        return qs.order_by("code")
    scopes = {m.organization.region.scope for m in staff_memberships(user, EDITORS)}
    if not scopes:
        return Region.objects.none()
    inside = Q(pk__in=[])
    for scope in scopes:
        inside |= Q(code__startswith=scope)
    return qs.filter(inside).order_by("code")


def step_choices(*, scopes):
    """What a pre-plan step may name inside the region-code prefixes ``scopes``: the active squads serving there, the
    grids there, the leaf categories. (The service checks that a step's squad serves inside the plan's own region.)"""
    inside = Q(pk__in=[])
    for scope in scopes:
        inside |= Q(region__code__startswith=scope)
    squads = Organization.objects.filter(inside, is_active=True).exclude(
        kind=Organization.Kind.HOTLINE_CENTRE).select_related("region").defer("region__boundary").order_by("region__code", "name")
    grids = Grid.objects.filter(inside).select_related("region").defer("boundary", "region__boundary").order_by("code")
    categories = Category.objects.filter(is_active=True).exclude(deadline_unit="").order_by("code")
    return squads, grids, categories


def timeline(*, incident):
    return incident.entries.select_related("actor").order_by("at", "pk")
