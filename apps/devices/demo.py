"""Demo devices: officers' and vehicles' GPS, noise sensors at construction sites; DEMO_DEVICE_TOKEN re-applied on every run."""
import datetime as dt
import random

from django.conf import settings
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.devices import noise, services
from apps.devices.models import Device, Shift
from apps.gbcp.demo.geometry import random_points_in
from apps.gbcp.models import Grid, Organization, Place

# district code: vehicle plates of its enforcement brigade
VEHICLES = {"110101": ["京A·C1001", "京A·C1002"], "110102": ["京A·C2001"], "110108": ["京A·C8001", "京A·C8002"]}
SENSORS_PER_DISTRICT = 2


def _ensure(device_qs, register):
    device = device_qs.first()
    if device is None:
        device = register().device
    return device


def _demo_token(device, token):
    # Only when it differs, so a second run writes no history rows.
    if device.token_hash != services.token_hash(token) or device.revoked_at is not None:
        services.device_token_rotate(user=None, device=device, token=token)


def seed(ctx):
    ctx.say("Devices: GPS of officers and vehicles, noise sensors at construction sites")
    token = settings.DEMO_DEVICE_TOKEN
    rng = random.Random(20261121)
    now = timezone.now().replace(microsecond=0)
    devices = []
    # Handhelds for enforcement officers only (department staff summoned by whistles carry none),
    # which also keeps a second run from finding officers that later apps' demos added.
    officers = User.objects.filter(
        memberships__role=Role.OFFICER, memberships__is_active=True, memberships__organization__kind=Organization.Kind.ENFORCEMENT_TEAM
    ).distinct().order_by("username")
    for officer in officers:
        org = next(o for o in officer.organizations() if o.kind == Organization.Kind.ENFORCEMENT_TEAM)
        grid = Grid.objects.filter(squad=org).order_by("code").first()
        device = _ensure(
            Device.objects.filter(kind=Device.Kind.OFFICER_GPS, officer=officer),
            lambda: services.device_register(user=None, name=f"{officer} 执法记录仪", kind=Device.Kind.OFFICER_GPS, officer=officer, organization=org, grid=grid),
        )
        if grid is not None and not Shift.objects.filter(device=device, ends_at__gt=now).exists():
            start = timezone.localtime(now).replace(hour=0, minute=0, second=0)
            services.shift_create(user=None, device=device, grid=grid, starts_at=start, ends_at=start + dt.timedelta(days=7))
        if grid is not None:
            # A short patrol inside the grid, so the live map has something to show.
            points = random_points_in(grid.boundary, 6, rng)
            track = [(now - dt.timedelta(minutes=5 * (6 - i)), p.y, p.x, rng.uniform(2, 6), rng.uniform(0, 359), 50.0, 8.0, 80.0) for i, p in enumerate(points)]
            services.positions_ingest(device=device, points=track)
        devices.append(device)
    for district, plates in VEHICLES.items():
        brigade = Organization.objects.filter(region__code=district, kind=Organization.Kind.ENFORCEMENT_TEAM).order_by("id").first()
        if brigade is None:
            continue
        for plate in plates:
            device = _ensure(
                Device.objects.filter(kind=Device.Kind.VEHICLE_GPS, vehicle_plate=plate),
                lambda: services.device_register(user=None, name=f"执法车 {plate}", kind=Device.Kind.VEHICLE_GPS, vehicle_plate=plate, organization=brigade),
            )
            boundary = brigade.region.boundary
            if boundary is not None:
                p = random_points_in(boundary, 1, rng)[0]
                services.positions_ingest(device=device, points=[(now - dt.timedelta(minutes=1), p.y, p.x, rng.uniform(10, 40), rng.uniform(0, 359), 45.0, 5.0, None)])
            devices.append(device)
    for district in sorted({code[:6] for code in Place.objects.values_list("region__code", flat=True).distinct()}):
        sites = Place.objects.filter(kind=Place.Kind.CONSTRUCTION_SITE, region__code__startswith=district).order_by("id")[:SENSORS_PER_DISTRICT]
        for site in sites:
            device = _ensure(
                Device.objects.filter(kind=Device.Kind.NOISE_SENSOR, place=site),
                lambda: services.device_register(user=None, name=f"{site.name} 噪声监测", kind=Device.Kind.NOISE_SENSOR, place=site),
            )
            # Readings of the last half hour, below the limit (the demo raises no alarm and no task by itself).
            limits = noise.limits_for(device)
            readings = []
            for i in range(30):
                at = now - dt.timedelta(minutes=30 - i)
                laeq = limits.at(at)[0] - rng.uniform(3, 12)
                readings.append((at, 60, round(laeq, 1), round(laeq + rng.uniform(5, 12), 1)))
            services.noise_ingest(device=device, readings=readings)
            devices.append(device)
    for device in devices:
        _demo_token(device, token)
    ctx.secrets.append(("DEMO_DEVICE_TOKEN", token))
    for device in devices:
        ctx.secrets.append((f"device {device.code}", f"{device.get_kind_display()} · {device.name}"))
