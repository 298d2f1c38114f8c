"""Region-code scoping: which rows and codes lie inside a caller's jurisdiction.

A jurisdiction is a list of region-code prefixes (``None`` for everything). Which prefixes a
user holds is the user's business (``User.jurisdiction_prefixes()``, built in
``apps.accounts.jurisdiction`` from staff memberships); this module only does the code
arithmetic, so the ground floor's own selectors can scope without importing accounts.
Every app imports these through ``apps.accounts.jurisdiction``.
"""
from functools import reduce
from operator import or_

from django.db.models import Q

EVERYTHING = None


def prefixes_of(user):
    """``None`` for everything, else the user's prefixes (empty for anonymous callers and non-staff)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    return user.jurisdiction_prefixes()


def narrowest(prefixes) -> list[str]:
    """The prefixes without those inside another (a prefix inside another adds nothing)."""
    prefixes = set(prefixes)
    return sorted(p for p in prefixes if not any(p != q and p.startswith(q) for q in prefixes))


def scope_filter(user, field: str) -> Q:
    """A Q object limiting ``field`` (a region code path, e.g. ``region__code``) to the user's jurisdiction."""
    prefixes = prefixes_of(user)
    if prefixes is EVERYTHING:
        return Q()
    if not prefixes:
        return Q(pk__in=[])
    return reduce(or_, (Q(**{f"{field}__startswith": p}) for p in prefixes))


def scope_queryset(queryset, user, field: str = "region__code"):
    return queryset.filter(scope_filter(user, field))


def covers_code(user, code: str) -> bool:
    """Whether the user's jurisdiction holds the region code."""
    prefixes = prefixes_of(user)
    if prefixes is EVERYTHING:
        return True
    return any((code or "").startswith(p) for p in prefixes)
