"""Jurisdiction scoping: the one helper every selector uses.

A user's jurisdiction is the region of each organisation they serve in, as
a code prefix: a district user sees codes starting with the district's
code, a street squad its street's, the city bureau everything under the
city's prefix. Superusers see everything; users without staff roles see
nothing through staff selectors.
"""
from functools import reduce
from operator import or_

from django.db.models import Q

from apps.accounts.models import STAFF_ROLES, User

EVERYTHING = None


def staff_memberships(user, roles=None) -> list:
    """The user's active memberships that carry staff meaning, optionally only ``roles``.

    The one place where memberships become access: a merchant's or citizen's
    membership of an organisation (an old demo habit) grants nothing.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    wanted = STAFF_ROLES if roles is None else STAFF_ROLES & set(roles)
    return [m for m in user._memberships() if m.role in wanted]


def staff_organization_ids(user, roles=None) -> list[int]:
    """Ids of the organisations the user serves in as staff (with one of ``roles`` if given)."""
    return sorted({m.organization_id for m in staff_memberships(user, roles)})


def staff_organizations(user, roles=None) -> list:
    """The organisations the user serves in as staff, each once, in membership order."""
    seen = {}
    for m in staff_memberships(user, roles):
        seen.setdefault(m.organization_id, m.organization)
    return list(seen.values())


def serves_in(user, organization_id, roles=None) -> bool:
    """Whether the user serves in that organisation as staff (with one of ``roles`` if given)."""
    return organization_id is not None and any(m.organization_id == organization_id for m in staff_memberships(user, roles))


def staff_members(*, organization_ids, roles=None):
    """Active users serving as staff in any of the organisations: who hears what is sent to an organisation."""
    wanted = STAFF_ROLES if roles is None else STAFF_ROLES & set(roles)
    return User.objects.filter(
        is_active=True, memberships__organization_id__in=list(organization_ids), memberships__is_active=True,
        memberships__role__in=list(wanted),
    ).distinct().order_by("pk")


def jurisdiction_prefixes(user):
    """``None`` for everything, else the list of region-code prefixes (possibly empty)."""
    if user is None or not user.is_authenticated:
        return []
    if user.is_superuser:
        return EVERYTHING
    prefixes = {membership.organization.region.scope for membership in staff_memberships(user)}
    # A prefix inside another adds nothing.
    return sorted(p for p in prefixes if not any(p != q and p.startswith(q) for q in prefixes))


def scope_filter(user, field: str) -> Q:
    """A Q object limiting ``field`` (a region code path, e.g. ``region__code``) to the user's jurisdiction."""
    prefixes = jurisdiction_prefixes(user)
    if prefixes is EVERYTHING:
        return Q()
    if not prefixes:
        return Q(pk__in=[])
    return reduce(or_, (Q(**{f"{field}__startswith": p}) for p in prefixes))


def scope_queryset(queryset, user, field: str = "region__code"):
    return queryset.filter(scope_filter(user, field))


def covers_code(user, code: str) -> bool:
    prefixes = jurisdiction_prefixes(user)
    if prefixes is EVERYTHING:
        return True
    return any((code or "").startswith(p) for p in prefixes)
