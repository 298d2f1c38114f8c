"""Reads of supervision items by who asks (supervisors and leaders by jurisdiction, the responsible unit its own items),
the organisations an item may be given to, and the rules' own bookkeeping."""
from django.db.models import Prefetch, Q
from django.utils import timezone

from apps.accounts.jurisdiction import EVERYTHING, jurisdiction_prefixes, scope_filter, staff_organization_ids
from apps.gbcp.errors import NotFound
from apps.gbcp.models import Organization
from apps.supervision.models import OPEN_STATUSES, Alert, SupervisionItem, SupervisionLog, SupervisionRule


def _visible(user):
    if user is None or not getattr(user, "is_authenticated", False):
        return SupervisionItem.objects.none()
    if jurisdiction_prefixes(user) is EVERYTHING:
        return SupervisionItem.objects.all()
    org_ids = staff_organization_ids(user)
    return SupervisionItem.objects.filter(scope_filter(user, "region_code") | Q(organization_id__in=org_ids))


def item_list_for_user(*, user, status=None, alert=None, source=None, mine=False, now=None):
    """Staff see the items whose region lies in their jurisdiction or that their unit must handle; citizens,
    merchants and the anonymous see none. ``alert`` is worked out from the deadline now, as on the item."""
    qs = _visible(user).select_related("organization", "rule")
    if status:
        qs = qs.filter(status__in=status if isinstance(status, (list, tuple)) else [status])
    if source:
        qs = qs.filter(source=source)
    if mine:
        qs = qs.filter(organization_id__in=staff_organization_ids(user))
    if alert is not None and alert != "all":
        now = now or timezone.now()
        open_items = Q(status__in=OPEN_STATUSES)
        if alert == Alert.RED:
            qs = qs.filter(open_items, deadline__lte=now)
        elif alert == Alert.YELLOW:
            qs = qs.filter(open_items, warn_at__lte=now, deadline__gt=now)
        elif alert in ("none", Alert.NONE):
            qs = qs.filter(~open_items | Q(warn_at__gt=now))
    return qs.order_by("-created_at", "-id")


def item_get_for_user(*, user, id) -> SupervisionItem:
    """One item the user may see, with its links and log; another's is not found."""
    item = (item_list_for_user(user=user)
            .select_related("task", "case", "whistle", "place", "grid", "created_by", "organization__region")
            .prefetch_related(Prefetch("logs", queryset=SupervisionLog.objects.select_related("actor")))
            .filter(pk=id).first())
    if item is None:
        raise NotFound()
    return item


def organizations_for_user(*, user):
    """Where the user may send an item (create or redirect on dispatch): active units of their jurisdiction."""
    qs = Organization.objects.filter(is_active=True).exclude(kind=Organization.Kind.HOTLINE_CENTRE)
    return qs.filter(scope_filter(user, "region__code")).select_related("region").order_by("region__code", "level", "name")


def organization_get_for_user(*, user, id) -> Organization:
    found = organizations_for_user(user=user).filter(pk=id).first()
    if found is None:
        raise NotFound()
    return found


def district_bureau(region_code: str):
    """The district's enforcement bureau (区城管执法局, the district-level enforcement team), else the city bureau:
    the fallback responsible unit; None when neither exists."""
    qs = Organization.objects.filter(is_active=True).select_related("region").order_by("pk")
    kinds = [Organization.Kind.BUREAU, Organization.Kind.ENFORCEMENT_TEAM]
    district = qs.filter(kind__in=kinds, level=Organization.Level.DISTRICT, region__code=(region_code or "")[:6]).first()
    return district or qs.filter(kind=Organization.Kind.BUREAU, level=Organization.Level.CITY).first()


def enabled_rules():
    return SupervisionRule.objects.filter(enabled=True).order_by("pk")


def cause_keys_taken(keys) -> set[str]:
    return set(SupervisionItem.objects.filter(cause_key__in=list(keys)).values_list("cause_key", flat=True))


def task_ids_covered_by(rule) -> set[int]:
    """Tasks already counted in an item of this rule (a complaint is counted in one cluster only)."""
    covered = set()
    for ids in SupervisionItem.objects.filter(rule=rule).values_list("related_task_ids", flat=True):
        covered.update(ids or ())
    return covered


def items_to_warn(*, now):
    """Open items at or past their yellow moment, for the warning sweep."""
    return (SupervisionItem.objects.filter(status__in=OPEN_STATUSES, warn_at__lte=now)
            .select_related("organization").order_by("deadline", "pk"))
