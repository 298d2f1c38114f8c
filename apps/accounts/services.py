"""Every write of users and memberships."""
from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.models import Membership, Role, User
from apps.gbcp.audit import acting_as
from apps.gbcp.errors import ApplicationError


@transaction.atomic
def user_ensure(*, user, username, password=None, display_name="", phone="", is_superuser=False, entity=None) -> User:
    """Create the user or bring it up to date (used by imports and the demo); a given password is (re)applied."""
    with acting_as(user):
        account, created = User.objects.get_or_create(username=username, defaults={"display_name": display_name, "phone": phone})
        account.display_name, account.phone, account.entity = display_name, phone, entity
        account.is_superuser = account.is_staff = is_superuser
        if password is not None:
            account.set_password(password)
        account.save()
    return account


@transaction.atomic
def membership_grant(*, user, member: User, organization, role: str) -> Membership:
    if role not in Role.values:
        raise ApplicationError(_("Unknown role: %(role)s") % {"role": role}, code="unknown_role")
    with acting_as(user):
        membership, created = Membership.objects.get_or_create(user=member, organization=organization, role=role)
        if not membership.is_active:
            membership.is_active = True
            membership.save(update_fields=["is_active"])
        # Staff who work in the admin need is_staff; merchants and citizens do not.
        if role in {Role.ADMINISTRATOR} and not member.is_staff:
            member.is_staff = True
            member.save(update_fields=["is_staff"])
    return membership


@transaction.atomic
def membership_revoke(*, user, membership: Membership) -> Membership:
    with acting_as(user):
        membership.is_active = False
        membership.save(update_fields=["is_active"])
    return membership
