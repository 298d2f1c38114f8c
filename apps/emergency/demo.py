"""Demo data of emergency (应急调度): the five pre-plans of 东城区 (each step on one of its squad's grids), one past,
closed incident and a rainstorm warning in force for 东城区 (so the overview offers its one-key button)."""
import datetime as dt

from django.utils import timezone

from apps.accounts.jurisdiction import staff_members
from apps.accounts.models import Role
from apps.emergency import services
from apps.emergency.models import Alert, EventType, PrePlan
from apps.gbcp.models import Grid, Organization, Region

DISTRICT = "110101"  # 东城区
PLANS = [
    (EventType.RAINSTORM, "东城区暴雨防汛预案", "下凹式立交桥、低洼院落积水点值守，疏导交通", "执法车、警戒带、抽水泵"),
    (EventType.SNOWSTORM, "东城区暴雪扫雪铲冰预案", "督促门前三包责任人清扫积雪，重点路段巡查", "执法车、融雪剂"),
    (EventType.GALE, "东城区大风防范预案", "巡查户外广告牌匾、工地围挡和临时搭建物", "执法车、安全帽"),
    (EventType.HEAT, "东城区高温防暑预案", "户外作业时段提醒，流动摊贩聚集点巡查", "防暑药品、饮用水"),
    (EventType.MAJOR_EVENT, "东城区重大活动保障预案", "活动周边街面秩序保障，严控占道经营", "执法车、对讲机"),
]


def seed(ctx):
    ctx.say("Emergency: pre-plans of 东城区 and one past incident")
    district = Region.objects.filter(code=DISTRICT).first()
    squads = list(Organization.objects.filter(region__code__startswith=DISTRICT, kind=Organization.Kind.ENFORCEMENT_TEAM,
                                              is_active=True).order_by("region__code", "pk")[:3])
    if district is None or not squads:
        ctx.say("  no 东城区 squads: skipped")
        return
    made = 0
    for event_type, title, action, resources in PLANS:
        if PrePlan.objects.filter(region=district, event_type=event_type).exists():
            continue
        steps = [{"squad": squad, "action": action, "area_region": squad.region, "resources": resources, "duration_minutes": 240,
                  "area_grid": _grid_of(squad)}
                 for squad in squads]
        services.plan_publish(user=None, region=district, event_type=event_type, title=title, steps=steps)
        made += 1
    ctx.say(f"  pre-plans made: {made}")
    leader = staff_members(organization_ids=Organization.objects.filter(region__code=DISTRICT).values_list("pk", flat=True),
                           roles=[Role.LEADER, Role.DISPATCHER]).first()
    plan = PrePlan.objects.filter(region=district, event_type=EventType.RAINSTORM, is_current=True).first()
    if leader is not None and plan is not None and not plan.incidents.exists():
        incident = services.incident_activate(user=leader, plan=plan, create_tasks=False, assign_duty=False)
        services.incident_close(user=leader, incident=incident, report="强降雨期间各积水点有序处置，未发生人员伤亡。")
        ctx.say("  past incident made: 1")
    if not Alert.objects.filter(identifier=DEMO_ALERT).exists():
        services.alert_receive(user=None, data=_demo_warning(), source=Alert.Source.FEED)
        ctx.say("  warning in force made: 1")


DEMO_ALERT = "DEMO-BJ-MET-RAINSTORM-BLUE"


def _grid_of(squad):
    """The squad's first grid, else the first grid inside its region (a district team has none of its own)."""
    grids = Grid.objects.defer("boundary").order_by("code")
    return grids.filter(squad=squad).first() or grids.filter(region__code__startswith=squad.region.scope).first()


def _demo_warning() -> str:
    """A CAP 1.2 rainstorm warning (暴雨蓝色预警) for 东城区 by its area code, sent now and in force for three days; an
    exercise (演练), not an actual warning, so that nobody is notified of demo data."""
    now = timezone.localtime().replace(microsecond=0)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>{DEMO_ALERT}</identifier>
  <sender>demo@cityenforce.invalid</sender>
  <sent>{now.isoformat()}</sent>
  <status>Exercise</status>
  <msgType>Alert</msgType>
  <scope>Public</scope>
  <info>
    <language>zh-CN</language>
    <category>Met</category>
    <event>暴雨</event>
    <urgency>Expected</urgency>
    <severity>Moderate</severity>
    <certainty>Likely</certainty>
    <expires>{(now + dt.timedelta(days=3)).isoformat()}</expires>
    <headline>【演示】东城区暴雨蓝色预警信号</headline>
    <description>演示数据：预计未来12小时东城区将出现暴雨，请做好下凹式立交桥和低洼院落的防范。</description>
    <area>
      <areaDesc>东城区</areaDesc>
      <geocode><valueName>行政区划代码</valueName><value>{DISTRICT}</value></geocode>
    </area>
  </info>
</alert>"""
