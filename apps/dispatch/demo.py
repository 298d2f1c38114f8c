"""Demo of the task centre: the 12345 partner with its secrets, street-office and department users, sample tasks."""
import datetime as dt
import random

from django.conf import settings
from django.contrib.gis.geos import Point
from django.utils import timezone

from apps.accounts import services as account_services
from apps.accounts.models import Role
from apps.dispatch import services
from apps.dispatch.models import Source, Task
from apps.gbcp.models import Category, Organization, Region

DEMO_REPORTS = 40


def seed(ctx):
    ctx.say("Dispatch: partner, users, sample tasks")
    city_hotline = Organization.objects.filter(kind=Organization.Kind.HOTLINE_CENTRE).first()
    services.partner_ensure(
        user=None, name="北京12345市民服务热线", organization=city_hotline,
        hotline_secret=settings.DEMO_HOTLINE_SECRET, open311_key=settings.DEMO_OPEN311_KEY,
    )
    ctx.secrets += [("DEMO_OPEN311_KEY", settings.DEMO_OPEN311_KEY), ("DEMO_HOTLINE_SECRET", settings.DEMO_HOTLINE_SECRET)]
    for username, display, org_name, role in (
        ("dhm_street", "东华门街道办负责人", "东华门街道办事处", Role.LEADER),
        ("dc_cgw", "东城区城管委值班员", "东城区城市管理委员会", Role.OFFICER),
    ):
        org = Organization.objects.filter(name=org_name).first()
        if org is None:
            continue
        account = account_services.user_ensure(user=None, username=username, password=settings.DEMO_PASSWORD, display_name=display)
        account_services.membership_grant(user=None, member=account, organization=org, role=role)
        ctx.credentials.append((username, role.value, org.name))

    district = Region.objects.filter(code="110101").first()
    leaves = list(Category.objects.exclude(deadline_unit="").filter(is_public=True).exclude(keywords=[]).order_by("code"))
    if district is None or not leaves:
        return
    rng = random.Random(12345)
    streets = list(Region.objects.filter(parent=district).order_by("code"))
    now = timezone.now()
    for n in range(DEMO_REPORTS):
        category = rng.choice(leaves)
        street = rng.choice(streets)
        box = street.boundary.extent
        for _ in range(200):
            point = Point(rng.uniform(box[0], box[2]), rng.uniform(box[1], box[3]), srid=4326)
            if street.boundary.contains(point):
                break
        keyword = rng.choice(category.keywords)
        services.task_intake(
            user=None, source=rng.choice([Source.CITIZEN, Source.HOTLINE if False else Source.DISPATCHER, Source.PATROL]),
            description=f"{street.name}附近{keyword}，请尽快处理。", point=point, category=category,
            reporter_name="", reporter_phone="", external_ref=f"demo-{n:03d}",
            received_at=now - dt.timedelta(hours=rng.randint(1, 96)),
        )
    ctx.say(f"  tasks: {Task.objects.count()}")
