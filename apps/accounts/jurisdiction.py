"""Jurisdiction scoping: the one helper every selector uses.

A user's jurisdiction is the region of each organisation they serve in, as
a code prefix: a district user sees codes starting with the district's
code, a street squad its street's, the city bureau everything under the
city's prefix. Superusers see everything; users without staff roles see
nothing through staff selectors.
"""
from apps.accounts.models import STAFF_ROLES, Membership, User
from apps.gbcp.jurisdiction import EVERYTHING, covers_code, prefixes_of, scope_filter, scope_queryset

# The region-code arithmetic lives on the ground floor (apps.gbcp.jurisdiction); apps import it from here.
__all__ = [
    "EVERYTHING", "covers_code", "jurisdiction_prefixes", "scope_filter", "scope_queryset", "serves_in", "staff_members",
    "staff_memberships", "staff_organization_ids", "staff_organizations", "users_covering",
]


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
    return prefixes_of(user)


def users_covering(code: str, *, roles) -> list:
    """Active users holding one of ``roles`` as staff whose jurisdiction holds ``code``, each once, in id
    order: who hears of a task or case by where it lies. One query."""
    wanted = STAFF_ROLES & set(roles)
    memberships = Membership.objects.filter(role__in=list(wanted), is_active=True, user__is_active=True).select_related(
        "organization__region", "user").defer("organization__region__boundary")
    found = {m.user_id: m.user for m in memberships if (code or "").startswith(m.organization.region.scope)}
    return [found[pk] for pk in sorted(found)]
