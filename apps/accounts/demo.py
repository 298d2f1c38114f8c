"""Demo accounts for every role; the password comes from DEMO_PASSWORD and is re-applied on every run."""
from django.conf import settings

from apps.accounts import services
from apps.accounts.models import Role
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
    entity = Entity.objects.filter(region__code__startswith="110101").order_by("id").first()
    if entity is not None:
        merchant = services.user_ensure(user=None, username="merchant", password=password, display_name=entity.name, entity=entity)
        services.membership_grant(user=None, member=merchant, organization=orgs.get("东城区城市管理综合行政执法局") or Organization.objects.filter(level=1).first(), role=Role.MERCHANT)
        ctx.credentials.append(("merchant", Role.MERCHANT.value, entity.name))
    citizen = services.user_ensure(user=None, username="citizen", password=password, display_name="市民")
    city = Organization.objects.filter(level=Organization.Level.CITY, kind=Organization.Kind.BUREAU).first()
    if city is not None:
        services.membership_grant(user=None, member=citizen, organization=city, role=Role.CITIZEN)
    ctx.credentials.append(("citizen", Role.CITIZEN.value, "—"))
