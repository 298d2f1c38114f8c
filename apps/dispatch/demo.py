"""Demo of the task centre: the 12345 partner with its secrets, street-office and department users, sample tasks."""
import datetime as dt
import hashlib
import io
import os
import random

from django.conf import settings
from django.contrib.gis.geos import Point
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from apps.accounts import services as account_services
from apps.accounts.jurisdiction import users_covering
from apps.accounts.models import Role
from apps.dispatch import services
from apps.dispatch.models import Source, Status, Task
from apps.gbcp.models import Category, Organization, Region

DEMO_REPORTS = 40
PHOTO_EVERY = 3  # one demo report in three comes with a photo
TO_ACCEPT = 2  # per street: tasks dispatched to its squad and left for an officer to accept (the field client's demo)
HANDLED = 6  # demo tasks walked through dispatch → accept → feedback (with an "after" photo); half of them closed
DEMO_FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"  # the CJK font the case PDFs use (Debian fonts-wqy-zenhei)


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
    seeded = set(Task.objects.filter(external_ref__startswith="demo-").values_list("external_ref", flat=True))
    for n in range(DEMO_REPORTS):
        category = rng.choice(leaves)
        street = rng.choice(streets)
        box = street.boundary.extent
        for _ in range(200):
            point = Point(rng.uniform(box[0], box[2]), rng.uniform(box[1], box[3]), srid=4326)
            if street.boundary.contains(point):
                break
        keyword = rng.choice(category.keywords)
        intake = dict(
            user=None, source=rng.choice([Source.CITIZEN, Source.HOTLINE if False else Source.DISPATCHER, Source.PATROL]),
            description=f"{street.name}附近{keyword}，请尽快处理。", point=point, category=category,
            reporter_name="", reporter_phone="", external_ref=f"demo-{n:03d}",
            received_at=now - dt.timedelta(hours=rng.randint(1, 96)),
        )
        if n % PHOTO_EVERY == 0 and intake["external_ref"] not in seeded:  # a new task only: photos are not added twice
            services.task_intake_with_photos(photos=[demo_photo(category.name, "问题照片")], **intake)
        else:
            services.task_intake(**intake)
    handled = _walk_some_tasks(district)
    waiting = _leave_some_to_accept(district, now)
    ctx.say(f"  tasks: {Task.objects.count()} ({handled} handled with photos, {waiting} dispatched awaiting an officer)")


def demo_photo(title: str, caption: str, size=(480, 360)) -> SimpleUploadedFile:
    """A small JPEG that says plainly that it is a demo picture: the category, the caption and "演示图片"."""
    shade = hashlib.sha256(title.encode()).digest()
    image = Image.new("RGB", size, (60 + shade[0] % 120, 80 + shade[1] % 100, 90 + shade[2] % 100))
    draw = ImageDraw.Draw(image)
    if os.path.exists(DEMO_FONT):
        big, small = ImageFont.truetype(DEMO_FONT, 34), ImageFont.truetype(DEMO_FONT, 24)
        lines = [(title[:12], big), (caption, small), ("演示图片 · 非真实现场", small)]
    else:  # no CJK font on this machine: a picture that still says what it is
        big = small = ImageFont.load_default()
        lines = [("DEMO PICTURE", big), (caption.encode("ascii", "ignore").decode() or "photo", small)]
    draw.rectangle([12, 12, size[0] - 12, size[1] - 12], outline=(255, 255, 255), width=3)
    y = size[1] // 2 - 60
    for text, font in lines:
        width = draw.textlength(text, font=font)
        draw.text(((size[0] - width) / 2, y), text, fill=(255, 255, 255), font=font)
        y += 50
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=70)
    return SimpleUploadedFile("demo.jpg", out.getvalue(), content_type="image/jpeg")


def _leave_some_to_accept(district, now) -> int:
    """Each street squad with officers gets a few tasks of its own duties dispatched and not yet accepted, so that an
    officer opening the field client (/field/) has work to accept, offline or not."""
    dispatchers = [u for u in users_covering(district.code, roles=[Role.DISPATCHER]) if not u.is_superuser]
    if not dispatchers:
        return 0
    squads = (Organization.objects.filter(region__parent=district, memberships__role=Role.OFFICER, memberships__is_active=True)
              .select_related("region").distinct().order_by("region__code", "pk"))
    waiting = 0
    for squad in squads:
        duties = list(squad.duties.exclude(deadline_unit="").order_by("code")[:TO_ACCEPT])
        inside = squad.region.boundary.buffer(-0.002)
        point = (inside if not inside.empty else squad.region.boundary).point_on_surface
        for n, category in enumerate(duties):
            ref = f"demo-field-{squad.pk}-{n}"
            if Task.objects.filter(external_ref=ref).exists():
                waiting += 1
                continue
            task = services.task_intake(
                user=None, source=Source.PATROL, description=f"{squad.region.name}巡查发现{category.name}，请中队处置。", point=point,
                category=category, reporter_name="", reporter_phone="", external_ref=ref, received_at=now - dt.timedelta(hours=n + 1),
            ).task
            if task.status != Status.NEW:
                continue  # merged into an earlier report
            services.task_dispatch(user=dispatchers[0], task=task, organization=squad, note="演示：派给街道中队")
            waiting += 1
    return waiting


def _walk_some_tasks(district) -> int:
    """Take a few new demo tasks through dispatch, acceptance and feedback with an "after" photo, and close half of
    them, so the dispatcher has feedback to verify and the citizen's tracking page has a result with photos."""
    done = Task.objects.filter(external_ref__startswith="demo-", handled_at__isnull=False).count()
    wanted = HANDLED - done
    if wanted <= 0:
        return done
    dispatchers = [u for u in users_covering(district.code, roles=[Role.DISPATCHER]) if not u.is_superuser]
    if not dispatchers:
        return done
    dispatcher = dispatchers[0]
    candidates = (Task.objects.filter(external_ref__startswith="demo-", status=Status.NEW, master__isnull=True, organization__isnull=False)
                  .select_related("category", "organization").order_by("external_ref"))
    for task in candidates:
        handlers = {m.role: m.user for m in task.organization.memberships.filter(
            role__in=[Role.SQUAD_LEADER, Role.OFFICER], is_active=True, user__is_active=True).select_related("user").order_by("id")}
        officer = handlers.get(Role.OFFICER) or handlers.get(Role.SQUAD_LEADER)
        if officer is None:
            continue
        services.task_dispatch(user=dispatcher, task=task)
        services.task_accept(user=handlers.get(Role.SQUAD_LEADER) or officer, task=task)
        name = task.category.name if task.category_id else "问题"
        services.task_feedback(user=officer, task=task, result="已到现场处理完毕，现场已恢复整洁。（演示数据）", solved=True,
                               photos=[demo_photo(name, "处理后照片")])
        done += 1
        if done % 2 == 0:
            services.task_verify(user=dispatcher, task=task, approved=True)
        if done >= HANDLED:
            break
    return done
