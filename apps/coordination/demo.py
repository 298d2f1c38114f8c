"""Demo data of coordination (协调联动): the other departments of 东城区 and of the city that leads go to and come from, one
lead handed out (sent, awaiting receipt) and one taken in (awaiting acceptance), and one joint operation of 东华门 with the
district's market regulator (planned for tomorrow morning)."""
import datetime as dt

from django.utils import timezone

from apps.accounts.models import User
from apps.coordination import services
from apps.coordination.models import JointOperation, Lead
from apps.gbcp import services as gbcp_services
from apps.gbcp.models import Category, Organization, Region

DISTRICT = "110101"  # 东城区
DEPARTMENTS = [  # name, short name, region code
    ("东城区市场监督管理局", "东城市场监管局", DISTRICT),
    ("东城区住房和城乡建设委员会", "东城住建委", DISTRICT),
    ("北京市生态环境局东城分局", "东城生态环境分局", DISTRICT),
    ("北京市市场监督管理局", "市市场监管局", "110100"),
]


def seed(ctx):
    ctx.say("Coordination: other departments and two case leads")
    made = []
    for name, short, code in DEPARTMENTS:
        region = Region.objects.filter(code=code).first()
        if region is None:
            continue
        made.append(gbcp_services.organization_upsert(user=None, name=name, short_name=short, kind=Organization.Kind.FUNCTIONAL_DEPARTMENT,
                                                      level=Organization.Level.CITY if code == "110100" else Organization.Level.DISTRICT,
                                                      region=region))
    ctx.say(f"  departments: {len(made)}")
    dispatcher = User.objects.filter(username="dc_dispatcher").first()
    bureau = Organization.objects.filter(name="东城区城市管理综合行政执法局").first()
    if dispatcher is None or bureau is None or not made or Lead.objects.exists():
        return
    market, housing = made[0], made[1]
    lead = services.lead_create(user=dispatcher, organization=bureau, department=market, title="东华门大街无证经营熟食摊点",
                                facts="巡查发现东华门大街一熟食摊点无营业执照、无食品经营许可证经营，涉及食品安全，属市场监管部门职责。",
                                legal_basis="《无证无照经营查处办法》第五条")
    services.lead_send(user=dispatcher, lead=lead)
    services.lead_register(user=dispatcher, organization=bureau, department=housing, title="住建委移送：小区内违法建设",
                           facts="某小区楼顶私搭建筑物，住建委核查后认为属城管执法职责，现移送。", external_ref="东住建移〔2026〕7号")
    ctx.say("  case leads: 2")
    _joint_operation(ctx, market)


def _joint_operation(ctx, market):
    """One planned operation: 东华门's squad leader with the market regulator, which brings a food-stall item of its duties."""
    leader = User.objects.filter(username="dhm_leader").first()
    squad = Organization.objects.filter(name="东华门街道综合行政执法队").select_related("region").first()
    duty = Category.objects.filter(is_active=True).exclude(deadline_unit="").filter(name__contains="无照").first() or \
        Category.objects.filter(is_active=True).exclude(deadline_unit="").order_by("code").first()
    if leader is None or squad is None or duty is None or JointOperation.objects.exists():
        return
    market.duties.add(duty)
    people = list(User.objects.filter(username__in=["dhm_leader", "dhm_officer1", "dhm_officer2"]))
    start = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0) + dt.timedelta(days=1)
    services.operation_create(user=leader, organization=squad, title="东华门大街无证经营联合整治", region=squad.region,
                              purpose="会同区市场监管局整治东华门大街无证无照经营熟食摊点，现场发现问题按职责分别派遣或立案。",
                              starts_at=start, ends_at=start + dt.timedelta(hours=3), departments=[(market, [duty])], participants=people)
    ctx.say("  joint operations: 1")
