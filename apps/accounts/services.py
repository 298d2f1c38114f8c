"""Every write of users and memberships, API tokens, and the demo accounts' retirement."""
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from knox.models import AuthToken

from apps.accounts.jurisdiction import staff_members
from apps.accounts.models import STAFF_ROLES, EnforcementCertificate, Membership, Role, User
from apps.accounts.selectors import certificates_expiring
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
    if role not in STAFF_ROLES:
        # Merchants are tied to their business (User.entity); citizens need no organisation at all.
        raise ApplicationError(_("Only staff serve in an organisation: %(role)s") % {"role": role}, code="not_a_staff_role")
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



# --- API tokens (django-rest-knox: stored as a digest, each with its own expiry) -------------------------

@transaction.atomic
def api_token_issue(*, user: User):
    """A new token for ``user`` (one per device); returns (token row, the secret shown this once).

    At most REST_KNOX["TOKEN_LIMIT_PER_USER"] unexpired tokens: at the cap the oldest goes, so that signing in
    on a new phone works and the phone signed in longest ago must sign in again.
    """
    limit = settings.REST_KNOX.get("TOKEN_LIMIT_PER_USER")
    if limit:
        # One issue per user at a time: parallel sign-ins cannot each see room for one more.
        User.objects.select_for_update().filter(pk=user.pk).first()
        live = AuthToken.objects.filter(Q(expiry__isnull=True) | Q(expiry__gt=timezone.now()), user=user).order_by("-created", "-pk")
        surplus = list(live.values_list("pk", flat=True)[max(0, limit - 1):])
        if surplus:
            AuthToken.objects.filter(pk__in=surplus).delete()
    return AuthToken.objects.create(user=user, expiry=settings.REST_KNOX["TOKEN_TTL"])


@transaction.atomic
def api_token_revoke(*, user: User, token: AuthToken) -> None:
    """Revoke one token of ``user`` (the one the caller signed this request with)."""
    if token.user_id != user.pk:
        raise ApplicationError(_("Not found."), code="not_found", status_code=404)
    token.delete()


@transaction.atomic
def api_tokens_revoke_all(*, user: User) -> int:
    """Revoke every token of ``user``: each device must sign in again."""
    count, _detail = AuthToken.objects.filter(user=user).delete()
    return count


# --- demo accounts outside demo mode ---------------------------------------------------------------------

@transaction.atomic
def demo_accounts_disable(*, user, usernames, public_passwords) -> list[str]:
    """Make the seeded demo accounts unusable where they still have a published demo password.

    Their password is printed by seed_demo and written in the README, so outside demo mode they must not sign
    in. An operator who gave such an account a password of their own keeps it. Their API tokens go too.
    """
    disabled = []
    with acting_as(user):
        for account in User.objects.filter(username__in=list(usernames)).order_by("username"):
            if account.has_usable_password() and any(account.check_password(p) for p in public_passwords if p):
                account.set_unusable_password()
                account.save(update_fields=["password"])
                AuthToken.objects.filter(user=account).delete()
                disabled.append(account.username)
    return disabled


# --- enforcement certificates (执法证) ----------------------------------------------------------------------

@transaction.atomic
def certificate_issue(*, user, officer: User, number: str, issuing_authority: str, valid_from, valid_to, scope,
                      status=None):
    """Record (or bring up to date, by number) an officer's certificate; scope: region codes of the areas."""
    number = (number or "").strip()
    scope = sorted({str(code).strip() for code in (scope or []) if str(code).strip()})
    if not number:
        raise ApplicationError(_("Give the certificate number."), code="number_required", details={"number": [_("This field is required.")]})
    if not scope:
        raise ApplicationError(_("Name at least one area of enforcement."), code="scope_required", details={"scope": [_("This field is required.")]})
    if valid_to < valid_from:
        raise ApplicationError(_("The certificate ends before it starts."), code="invalid_validity", details={"valid_to": [_("Check the dates.")]})
    with acting_as(user):
        certificate, _created = EnforcementCertificate.objects.update_or_create(
            number=number, defaults={"officer": officer, "issuing_authority": issuing_authority, "valid_from": valid_from,
                                     "valid_to": valid_to, "scope": scope, "status": status or EnforcementCertificate.Status.VALID},
        )
    return certificate


@transaction.atomic
def certificate_set_status(*, user, certificate, status: str):
    if status not in EnforcementCertificate.Status.values:
        raise ApplicationError(_("Unknown status."), code="unknown_status")
    with acting_as(user):
        certificate.status = status
        certificate.save(update_fields=["status"])
    return certificate


@transaction.atomic
def certificates_warn(*, on_date=None) -> dict:
    """Warn each officer whose certificate ends within CERTIFICATE_WARNING_DAYS, and the squad leaders of the
    squads they serve in; once per certificate per day (``warned_on``), so the beat may run this often."""

    # Accounts sits below apps.realtime (.importlinter): the sender is configured, apps.realtime.events.publish.
    publish = import_string(settings.CERTIFICATE_WARNING_PUBLISHER)
    on_date = on_date or timezone.localdate()
    rows = list(certificates_expiring(on_date, settings.CERTIFICATE_WARNING_DAYS).select_for_update(of=("self",)))
    warned = 0
    for certificate in rows:
        officer = certificate.officer
        days = (certificate.valid_to - on_date).days
        org_ids = sorted({m.organization_id for m in officer.memberships.filter(is_active=True)})
        leaders = [u for u in staff_members(organization_ids=org_ids, roles=[Role.SQUAD_LEADER]) if u.pk != officer.pk]
        publish(
            event="accounts.certificate_expiring", users=[officer, *leaders],
            title=_("Enforcement certificate expires soon"),
            body=_("The enforcement certificate %(number)s of %(name)s ends on %(date)s (in %(days)s days).")
            % {"number": certificate.number, "name": officer, "date": certificate.valid_to.isoformat(), "days": days},
            payload={"certificate": certificate.number, "officer": officer.pk, "valid_to": certificate.valid_to.isoformat(), "days": days},
            level="warning",
        )
        certificate.warned_on = on_date
        certificate.save(update_fields=["warned_on"])
        warned += 1
    return {"warned": warned}
