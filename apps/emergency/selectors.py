"""Reads of emergency (应急调度), each limited to the caller's jurisdiction; "not yours" is "not there"."""
from django.http import Http404

from apps.accounts.jurisdiction import scope_queryset, staff_memberships
from apps.emergency.models import Alert, Incident, PrePlan
from apps.emergency.policy import READERS


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
    if user.is_superuser:
        return Alert.objects.all().defer("xml")
    regions = scope_queryset(Alert.regions.through.objects.all(), user, field="region__code")
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
