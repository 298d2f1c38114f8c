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

from apps.accounts.models import STAFF_ROLES

EVERYTHING = None


def jurisdiction_prefixes(user):
    """``None`` for everything, else the list of region-code prefixes (possibly empty)."""
    if user is None or not user.is_authenticated:
        return []
    if user.is_superuser:
        return EVERYTHING
    prefixes = set()
    for membership in user._memberships():
        if membership.role in STAFF_ROLES:
            prefixes.add(membership.organization.region.scope)
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
