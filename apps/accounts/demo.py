"""Demo accounts for every role; the password comes from DEMO_PASSWORD and is re-applied on every run.
Every demo officer holds a valid enforcement certificate (执法证) for their organisation's area; one ends soon."""
import datetime as dt

from django.conf import settings
from django.utils import timezone

from apps.accounts import services
from apps.accounts.models import Role
from apps.accounts.selectors import CERTIFIED_ROLES
from apps.gbcp.models import Entity, Organization

# username, display name, role, organisation name (None: the city bureau)
DEMO_USERS = [
    ("admin", "系统管理员", Role.ADMINISTRATOR, "北京市城市管理综合行政执法局"),
    ("city_dispatcher", "市指挥中心调度员", Role.DISPATCHER, "北京市城市管理综合行政执法局"),
    ("city_supervisor", "市督察员", Role.SUPERVISOR, "北京市城市管理综合行政执法局"),
    ("city_analyst", "市分析员", Role.ANALYST, "北京市城市管理综合行政执法局"),
    ("dc_dispatcher", "东城区调度员", Role.DISPATCHER, "东城区城市管理综合行政执法局"),
    ("dc_legal", "东城区法制审核员", Role.LEGAL_REVIEWER, "东城区城市管理综合行政执法局"),
    ("dc_leader", "东城区负责人", Role.LEADER, "东城区城市管理综合行政执法局"),
    ("dhm_leader", "东华门中队长", Role.SQUAD_LEADER, "东华门街道综合行政执法队"),
    ("dhm_officer1", "东华门队员甲", Role.OFFICER, "东华门街道综合行政执法队"),
    ("dhm_officer2", "东华门队员乙", Role.OFFICER, "东华门街道综合行政执法队"),
    ("hd_dispatcher", "海淀区调度员", Role.DISPATCHER, "海淀区城市管理综合行政执法局"),
    ("zgc_officer", "中关村队员", Role.OFFICER, "中关村街道综合行政执法队"),
]


def seed(ctx):
    ctx.say("Accounts: demo users")
    password = settings.DEMO_PASSWORD
    orgs = {o.name: o for o in Organization.objects.filter(name__in={row[3] for row in DEMO_USERS})}
    for username, display_name, role, org_name in DEMO_USERS:
        org = orgs.get(org_name)
        if org is None:  # a partial demo (--districts) may lack this organisation
            continue
        account = services.user_ensure(user=None, username=username, password=password, display_name=display_name, is_superuser=(username == "admin"))
        services.membership_grant(user=None, member=account, organization=org, role=role)
        ctx.credentials.append((username, role.value, org.name))
        if role in CERTIFIED_ROLES:
            _certify(account, org, serial=DEMO_USERS.index((username, display_name, role, org_name)) + 1)
    # A merchant is tied to its business through User.entity and a citizen to nothing: neither serves in an
    # organisation. Earlier demos made them members of a bureau; those memberships are revoked here.
    entity = Entity.objects.filter(region__code__startswith="110101").order_by("id").first()
    if entity is not None:
        merchant = services.user_ensure(user=None, username="merchant", password=password, display_name=entity.name, entity=entity)
        _revoke_all(merchant)
        ctx.credentials.append(("merchant", Role.MERCHANT.value, entity.name))
    citizen = services.user_ensure(user=None, username="citizen", password=password, display_name="市民")
    _revoke_all(citizen)
    ctx.credentials.append(("citizen", Role.CITIZEN.value, "—"))


# Demo certificates: valid for four years from last year; this officer's ends within 20 days (expiry warnings).
EXPIRING_SOON = "zgc_officer"
CERTIFYING_AUTHORITY = "北京市人民政府"


def _certify(account, organization, *, serial):
    today = timezone.localdate()
    valid_to = today + dt.timedelta(days=18) if account.username == EXPIRING_SOON else today.replace(month=1, day=1) + dt.timedelta(days=3 * 365)
    services.certificate_issue(
        user=None, officer=account, number=f"11{organization.region.code[2:6]}{serial:06d}", issuing_authority=CERTIFYING_AUTHORITY,
        valid_from=today.replace(month=1, day=1) - dt.timedelta(days=365), valid_to=valid_to, scope=[organization.region.scope],
    )


def _revoke_all(account):
    for membership in account.memberships.filter(is_active=True):
        services.membership_revoke(user=None, membership=membership)


# The default of settings.DEMO_PASSWORD, printed by seed_demo and written in the README: public.
PUBLISHED_DEMO_PASSWORD = "cityenforce-demo"


def demo_usernames() -> list[str]:
    return [row[0] for row in DEMO_USERS] + ["merchant", "citizen"]


def retire_demo_accounts(*, user=None) -> list[str]:
    """Outside demo mode: the demo accounts that still have a public password become unusable."""
    return services.demo_accounts_disable(
        user=user, usernames=demo_usernames(), public_passwords={settings.DEMO_PASSWORD, PUBLISHED_DEMO_PASSWORD},
    )
