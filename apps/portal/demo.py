"""Demo of co-governance: the demo merchant's business operates a restaurant and a shop in 东华门街道 (places that have
checklists), and the 东城 dispatcher has sent one targeted notice to the district's restaurants."""
from django.contrib.gis.geos import Point

from apps.accounts.models import User
from apps.gbcp import services as gbcp
from apps.gbcp.distance import metres_between
from apps.gbcp.models import Place, Region
from apps.portal import notice_services
from apps.portal.models import Notice

DEMO_PLACES = [
    ("示范餐厅（东华门店）", Place.Kind.RESTAURANT, "东华门大街21号", (0.0, 0.0)),
    ("示范便利店（东华门店）", Place.Kind.SHOP, "东华门大街23号", (0.0004, 0.0002)),
]
DEMO_NOTICE = "关于餐饮单位油烟净化设施清洗维护的提示"
DEMO_NOTICE_BODY = (
    "各餐饮单位：请按照《中华人民共和国大气污染防治法》第八十一条的规定，正常使用油烟净化设施，"
    "并至少每季度清洗一次，保留清洗记录备查。门前三包责任区请保持整洁，不得店外经营。"
    "请在商户门户确认知悉，并可通过“自检自查”对照检查单自查。"
)


def seed(ctx):
    ctx.say("Portal: the demo merchant's places, a targeted notice")
    merchant = User.objects.filter(username="merchant").select_related("entity").first()
    street = Region.objects.filter(code="110101001").exclude(boundary=None).first()
    if merchant is None or merchant.entity_id is None or street is None:
        return
    # Away from the street's usual "centre" (point_on_surface of the inner band), where tests put their own places and
    # look for the nearest one: the first of these anchors that lies inside and 300 m or more from it.
    usual = street.boundary.buffer(-0.002).point_on_surface
    anchors = [street.boundary.centroid, street.boundary.buffer(-0.004).point_on_surface,
               *(Point(usual.x + dx, usual.y + dy, srid=4326) for dx, dy in ((0.005, 0), (-0.005, 0), (0, 0.004), (0, -0.004)))]
    centre = next((a for a in anchors if street.boundary.contains(a) and metres_between(a, usual) >= 300), usual)
    for name, kind, address, (dx, dy) in DEMO_PLACES:
        if not Place.objects.filter(name=name, operator=merchant.entity).exists():
            point = Point(centre.x + dx, centre.y + dy, srid=4326)
            if not street.boundary.contains(point):
                point = Point(centre.x, centre.y, srid=4326)
            gbcp.place_create(user=None, name=name, kind=kind, space=Place.Space.PRODUCTION, point=point, address=address,
                              operator=merchant.entity)
    sender = User.objects.filter(username="dc_dispatcher").first()
    if sender is not None and not Notice.objects.filter(title=DEMO_NOTICE).exists():
        notice_services.notice_send(user=sender, title=DEMO_NOTICE, body=DEMO_NOTICE_BODY, region_code="110101",
                                    place_kinds=[Place.Kind.RESTAURANT])
    ctx.say(f"  notices: {Notice.objects.count()}")
