"""Demo of patrol inspection: checklists, inspector certificates, a district plan, a few records with a finding, published draws."""
import datetime as dt
import hashlib

from django.utils import timezone

from apps.accounts.models import Role, User
from apps.gbcp.models import Place
from apps.inspection import demo_cogov, services
from apps.inspection.models import Draw, InspectionRecord, InspectorQualification, Outcome, PatrolPlan

# (text, legal basis, case cause code, task category code) per place kind
CHECKLISTS = {
    Place.Kind.RESTAURANT: ("餐饮单位检查单", [
        ("无店外经营、占道经营", "《北京市市容环境卫生条例》第二十二条", "01-001", "E0502"),
        ("门前三包责任落实，门前整洁", "《北京市市容环境卫生条例》第十七条", "01-002", "E0110"),
        ("油烟净化设施正常使用，无油烟直排", "《中华人民共和国大气污染防治法》第八十一条", "06-001", "E0806"),
        ("无露天烧烤", "《中华人民共和国大气污染防治法》第一百一十八条", "06-002", "E0507"),
        ("牌匾标识经许可设置且安全", "《北京市牌匾标识设置管理规范》", "01-003", "C0306"),
        ("餐厨垃圾交有资质单位处置", "《北京市生活垃圾管理条例》第二十八条", "", "E0109"),
    ]),
    Place.Kind.SHOP: ("商铺检查单", [
        ("无店外经营、占道经营", "《北京市市容环境卫生条例》第二十二条", "01-001", "E0502"),
        ("门前三包责任落实", "《北京市市容环境卫生条例》第十七条", "01-002", "E0110"),
        ("牌匾标识、户外广告经许可设置", "《北京市户外广告设施、牌匾标识和标语宣传品设置管理条例》", "01-003", "E0204"),
        ("生活垃圾分类投放", "《北京市生活垃圾管理条例》第三十四条", "", "E0108"),
    ]),
    Place.Kind.MARKET: ("农贸市场检查单", [
        ("无场外占道经营", "《北京市市容环境卫生条例》第二十二条", "01-001", "E0502"),
        ("市场周边无流动摊贩", "《无证无照经营查处办法》第二条", "11-001", "E0501"),
        ("垃圾日产日清、分类收集", "《北京市生活垃圾管理条例》", "", "E0111"),
        ("门前三包责任落实", "《北京市市容环境卫生条例》第十七条", "01-002", "E0110"),
    ]),
    Place.Kind.CONSTRUCTION_SITE: ("施工工地检查单", [
        ("围挡、苫盖、冲洗等扬尘防治措施到位", "《北京市大气污染防治条例》第六十八条", "08-001", "E0304"),
        ("无夜间违规施工（22时至次日6时）", "《中华人民共和国噪声污染防治法》第四十三条", "08-002", "E0302"),
        ("出场车辆冲洗干净，无带泥上路", "《北京市建筑垃圾处置管理规定》", "08-001", "E0308"),
        ("无违法建设", "《北京市城乡规划条例》第六十五条", "12-001", "E0702"),
    ]),
    Place.Kind.STREET_SEGMENT: ("街巷路段检查单", [
        ("无流动摊贩、无照经营", "《无证无照经营查处办法》第二条", "11-001", "E0501"),
        ("沿街商户无店外经营", "《北京市市容环境卫生条例》第二十二条", "01-001", "E0502"),
        ("无露天烧烤", "《中华人民共和国大气污染防治法》第一百一十八条", "06-002", "E0507"),
        ("无私搭乱建", "《北京市城乡规划条例》第六十五条", "12-001", "E0701"),
        ("路面整洁，无暴露垃圾", "《北京市市容环境卫生条例》", "", "E0101"),
    ]),
}

DEMO_PLAN = "东城区餐饮商铺季度巡查计划"
DEMO_NOTE = "[demo]"
DEMO_DRAWS = [
    ("东城区餐饮单位双随机抽查（演示）", "110101", [Place.Kind.RESTAURANT, Place.Kind.SHOP], 3),
    ("东城区工地与市场双随机抽查（演示）", "110101", [Place.Kind.CONSTRUCTION_SITE, Place.Kind.MARKET], 2),
]


def _badge(user) -> str:
    # A stable demo badge number: district code and a number derived from the username.
    return f"{user.organizations()[0].region.code[:6]}{int(hashlib.sha256(user.username.encode()).hexdigest(), 16) % 100000:05d}"


def _street_places():
    """Up to three places of 东华门街道, where the demo officers serve (a small demo city may have none)."""
    return list(Place.objects.filter(region__code__startswith="110101001", kind__in=list(CHECKLISTS), is_active=True)
                .select_related("region", "operator").order_by("id")[:3])


def seed(ctx):
    ctx.say("Inspection: checklists, certificates, a plan, records, draws")
    for kind, (name, items) in CHECKLISTS.items():
        services.checklist_ensure(user=None, place_kind=kind, name=name, items=items)

    today = timezone.localdate()
    inspectors = User.objects.filter(
        memberships__role__in=[Role.OFFICER, Role.SQUAD_LEADER], memberships__is_active=True, memberships__organization__kind="enforcement_team",
    ).distinct().order_by("username")
    have = set(InspectorQualification.objects.values_list("user_id", flat=True))
    for inspector in inspectors:
        if inspector.pk not in have:
            services.qualification_ensure(
                user=None, inspector=inspector, badge_number=_badge(inspector), region_code=inspector.organizations()[0].region.code,
                valid_until=today.replace(year=today.year + 3), qualifications=["市容环境", "街面秩序", "施工管理"],
            )

    planner = User.objects.filter(username="dc_dispatcher").first()
    officer, co_officer = User.objects.filter(username="dhm_officer1").first(), User.objects.filter(username="dhm_officer2").first()
    if planner is None:
        return
    plan = PatrolPlan.objects.filter(name=DEMO_PLAN).first()
    if plan is None:
        plan = services.plan_create(user=planner, name=DEMO_PLAN, region_code="110101",
                                    place_kinds=[Place.Kind.RESTAURANT, Place.Kind.SHOP, Place.Kind.MARKET], interval_days=30,
                                    starts_on=today - dt.timedelta(days=10))
        services.plan_generate_assignments(user=planner, plan=plan, until=today + dt.timedelta(days=60))
        services.assignment_sweep_overdue(user=None, today=today)

    if officer is not None and co_officer is not None and not InspectionRecord.objects.filter(note__startswith=DEMO_NOTE).exists():
        places = _street_places()
        for n, place in enumerate(places):
            checklist = services.checklist_for_kind(place.kind)
            items = list(checklist.items.order_by("order", "id"))
            answers = [{"item": i.pk, "outcome": Outcome.FAILED if (n == 0 and k == 0) else Outcome.PASSED,
                        "note": "门口摆放货架约3平方米" if (n == 0 and k == 0) else ""} for k, i in enumerate(items)]
            services.inspection_record(
                user=officer, place=place, co_officer=co_officer, answers=answers, point=place.point,
                inspected_at=timezone.now() - dt.timedelta(days=3 - n), note=f"{DEMO_NOTE} 日常巡查",
                uscc_typed=place.operator.uscc if place.operator_id else "",
            )

    for title, region_code, kinds, count in DEMO_DRAWS:
        if Draw.objects.filter(title=title).exists():
            continue
        available = Place.objects.filter(region__code__startswith=region_code, kind__in=kinds, is_active=True).count()
        if available < 1 or services.qualified_inspectors(region_code=region_code).count() < 2:
            continue
        # Fixed demo seeds keep the demo reproducible; real draws take theirs from `secrets`.
        draw = services.draw_create(user=planner, region_code=region_code, place_kinds=kinds, place_count=min(count, available),
                                    title=title, seed_hex=hashlib.sha256(title.encode()).hexdigest())
        services.draw_publish(user=planner, draw=draw)
    ctx.say(f"  inspection records: {InspectionRecord.objects.count()}, draws: {Draw.objects.count()}")
    demo_cogov.seed(ctx)  # the demo merchant's rectification notice
