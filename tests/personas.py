"""The persona kit: the five callers of every permission test, built for any role and organisation.

``five_callers(role=Role.OFFICER, organization=squad)`` gives an insider holding ``role`` in
``organization``, an outsider holding the same role in the same kind of organisation of another
district, a citizen, a merchant (a user tied to a business) and the anonymous caller (``None``).
The people are built afresh (not taken from the demo city), so a test never depends on who the demo
happens to contain.
"""
import datetime as dt
import itertools
from dataclasses import dataclass

from django.utils import timezone

from apps.accounts import services as account_services
from apps.accounts.selectors import CERTIFIED_ROLES
from apps.gbcp.models import Entity, Organization

_serial = itertools.count(1)


@dataclass
class Personas:
    insider: object
    outsider: object
    citizen: object
    merchant: object
    anonymous: None = None

    def items(self):
        return [("insider", self.insider), ("outsider", self.outsider), ("citizen", self.citizen),
                ("merchant", self.merchant), ("anonymous", self.anonymous)]

    def others(self):
        """Every caller but the insider: those who must be refused."""
        return [(name, user) for name, user in self.items() if name != "insider"]


def user_with(*, role=None, organization=None, entity=None, name="persona"):
    """A fresh active user; with ``role`` and ``organization`` a staff member there, with ``entity`` a merchant."""
    user = account_services.user_ensure(user=None, username=f"{name}-{next(_serial)}", entity=entity)
    if role is not None:
        account_services.membership_grant(user=None, member=user, organization=organization, role=role)
        if role in CERTIFIED_ROLES:
            certify(user, organization)
    return user


def certify(officer, organization, *, valid_to=None, scope=None, status=None):
    """A valid enforcement certificate (执法证) for ``officer`` covering ``organization``'s area (art. 42), so that
    officers built for tests may be one of the two officers of a case or an inspection."""
    today = timezone.localdate()
    return account_services.certificate_issue(
        user=None, officer=officer, number=f"T{officer.pk:07d}{next(_serial):05d}", issuing_authority="测试发证机关",
        valid_from=today - dt.timedelta(days=365), valid_to=valid_to or today + dt.timedelta(days=3 * 365),
        scope=scope or [organization.region.scope], status=status,
    )


def organization_elsewhere(organization) -> Organization:
    """An organisation of the same kind in another district (the outsider's), else any of another district."""
    district = organization.region.code[:6]
    others = Organization.objects.exclude(region__code__startswith=district).select_related("region").order_by("pk")
    return others.filter(kind=organization.kind).first() or others.first()


def five_callers(*, role, organization, outside_organization=None) -> Personas:
    merchant_entity = Entity.objects.order_by("pk").first()
    return Personas(
        insider=user_with(role=role, organization=organization, name=f"in-{role}"),
        outsider=user_with(role=role, organization=outside_organization or organization_elsewhere(organization), name=f"out-{role}"),
        citizen=user_with(name="citizen"),
        merchant=user_with(entity=merchant_entity, name="merchant"),
    )
