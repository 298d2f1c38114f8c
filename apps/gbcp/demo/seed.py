"""The demo city: real Beijing districts and streets, generated communities and grids inside them, and sample data."""
import datetime as dt
import json
import random
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.gis.geos import Point
from stdnum import numdb

from apps.gbcp import services
from apps.gbcp.demo import data, streets
from apps.gbcp.demo.geometry import as_multipolygon, as_polygon, partition, random_points_in
from apps.gbcp.models import Category, Entity, Organization, Person, Place, Region
from apps.gbcp.validators import id_check_char, uscc_check_char

CORE_DISTRICTS = {"110101", "110102", "110105", "110106", "110107", "110108"}
COMMUNITIES_PER_STREET = 2
GRIDS_PER_COMMUNITY = 2
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


@dataclass
class DemoContext:
    """Shared by every app's demo seeding: options, a seeded RNG, output and what to print at the end."""

    stdout: object
    style: object
    places: int = 2000
    entities: int = 500
    district_codes: set | None = None  # None: all 16
    rng: random.Random = field(default_factory=lambda: random.Random(20261121))
    credentials: list = field(default_factory=list)
    secrets: list = field(default_factory=list)
    progress: bool = True

    def say(self, text):
        self.stdout.write(text)


def _short(name: str) -> str:
    for suffix in ("街道办事处", "街道", "地区", "镇", "乡", "区"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def load_regions(ctx: DemoContext):
    """City, 16 districts and their real streets (街道/乡镇): the surveyed polygons under the register's codes and
    names (``demo/streets.py``); each district is the union of its streets and the city the union of the districts,
    so a point inside a street is inside its district."""
    layer = streets.real_layer(settings.DEMO_DATA_DIR / "beijing")
    city = services.region_upsert(user=None, code=settings.CITY_REGION_CODE, name="北京市", level=Region.Level.CITY, boundary=layer.city)
    wanted = sorted(code for code in layer.districts if ctx.district_codes is None or code in ctx.district_codes)
    region_objects = {"city": city, "districts": {}, "streets": {}}
    for i, code in enumerate(wanted, 1):
        name = layer.district_names[code]
        district = services.region_upsert(user=None, code=code, name=name, level=Region.Level.DISTRICT, parent=city, boundary=layer.districts[code])
        region_objects["districts"][code] = district
        district_streets = layer.streets_of(code)
        for street in district_streets:
            region = services.region_upsert(
                user=None, code=street.code, name=street.name, level=Region.Level.STREET, parent=district,
                boundary=street.boundary, geometry_generated=False,
            )
            region_objects["streets"][street.code] = (region, street.boundary)
        if ctx.progress:
            ctx.say(f"  regions: {name} {code} · {len(district_streets)} streets ({i}/{len(wanted)})")
    return region_objects


def load_communities_and_grids(ctx: DemoContext, regions, squads):
    """Generated communities (社区) inside each street and enforcement grids (网格) inside each community."""
    for street_code, (street, cell) in regions["streets"].items():
        rng = random.Random(int(street_code))
        short = _short(street.name)
        for c_index, community_cell in enumerate(partition(cell, COMMUNITIES_PER_STREET, rng), 1):
            community = services.region_upsert(
                user=None, code=f"{street_code}{c_index:03d}", name=f"{short}第{c_index}社区（示例）",
                level=Region.Level.COMMUNITY, parent=street, boundary=as_multipolygon(community_cell), geometry_generated=True,
            )
            for g_index, grid_cell in enumerate(partition(community_cell, GRIDS_PER_COMMUNITY, rng), 1):
                services.grid_upsert(
                    user=None, code=f"{community.code}{g_index:02d}", name=f"{short}{c_index}-{g_index}网格",
                    region=street, boundary=as_polygon(grid_cell), squad=squads.get(street_code), geometry_generated=True,
                )


def load_categories(ctx: DemoContext):
    with open(settings.DEMO_DATA_DIR / "categories.json", encoding="utf-8") as fh:
        rows = json.load(fh)
    by_code = {}
    for row in rows:
        by_code[row["code"]] = services.category_upsert(
            user=None, code=row["code"], name=row["name"], name_en=row.get("name_en", ""), kind=row["kind"],
            parent=by_code.get(row["parent"]) if row.get("parent") else None,
            deadline_amount=row.get("deadline_amount"), deadline_unit=row.get("deadline_unit", ""),
            handler_kinds=row.get("handler_kinds", []), is_public=row.get("is_public", True), keywords=row.get("keywords", []),
        )
    ctx.say(f"  categories: {len(rows)} ({sum(1 for r in rows if r.get('deadline_unit'))} leaves)")
    return by_code


def _duties(kind):
    return [c for c in Category.objects.exclude(deadline_unit="") if kind in c.handler_kinds]


def load_organizations(ctx: DemoContext, regions):
    """City bureau, hotline centre, a brigade and a city-management committee per district, squads and street offices."""
    team_duties = _duties(Organization.Kind.ENFORCEMENT_TEAM)
    office_duties = _duties(Organization.Kind.STREET_OFFICE)
    dept_duties = _duties(Organization.Kind.FUNCTIONAL_DEPARTMENT)
    city = regions["city"]
    bureau = services.organization_upsert(
        user=None, name="北京市城市管理综合行政执法局", short_name="市城管执法局", kind=Organization.Kind.BUREAU,
        level=Organization.Level.CITY, region=city, duties=team_duties,
    )
    services.organization_upsert(
        user=None, name="北京市12345市民服务热线", short_name="12345", kind=Organization.Kind.HOTLINE_CENTRE, level=Organization.Level.CITY, region=city
    )
    brigades, squads = {}, {}
    for code, district in regions["districts"].items():
        brigades[code] = services.organization_upsert(
            user=None, name=f"{district.name}城市管理综合行政执法局", short_name=f"{_short(district.name)}城管执法局",
            kind=Organization.Kind.ENFORCEMENT_TEAM, level=Organization.Level.DISTRICT, region=district, parent=bureau, duties=team_duties,
        )
        services.organization_upsert(
            user=None, name=f"{district.name}城市管理委员会", short_name=f"{_short(district.name)}城管委",
            kind=Organization.Kind.FUNCTIONAL_DEPARTMENT, level=Organization.Level.DISTRICT, region=district, duties=dept_duties,
        )
    for street_code, (street, _cell) in regions["streets"].items():
        district_code = street_code[:6]
        squads[street_code] = services.organization_upsert(
            user=None, name=f"{street.name}综合行政执法队", short_name=f"{_short(street.name)}执法队",
            kind=Organization.Kind.ENFORCEMENT_TEAM, level=Organization.Level.STREET, region=street, parent=brigades[district_code], duties=team_duties,
        )
        services.organization_upsert(
            user=None, name=f"{street.name}办事处", short_name=f"{_short(street.name)}街道办",
            kind=Organization.Kind.STREET_OFFICE, level=Organization.Level.STREET, region=street, duties=office_duties,
        )
    ctx.say(f"  organisations: {Organization.objects.count()}")
    return bureau, brigades, squads


def load_calendar(ctx: DemoContext):
    """The official holiday schedules of every published year (chinesecalendar), as a deployment loads them."""
    counts = services.calendar_load_official(user=None)
    ctx.say(f"  work calendar: {counts['years']} years published")


def org_code_check(body8: str) -> str:
    """GB 11714 check character of the 9-character organisation code inside a USCC."""
    value = 11 - sum(int(c) * w for c, w in zip(body8, ORG_CODE_WEIGHTS)) % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def make_uscc(rng, district_code, individual=False):
    body8 = "".join(rng.choice("0123456789") for _ in range(8))
    first17 = ("92" if individual else "91") + district_code + body8 + org_code_check(body8)
    return first17 + uscc_check_char(first17)


def _county_names(code: str):
    """(first year, last year, name) of each name a 6-digit place code had, from python-stdnum's table."""
    for _part, props in numdb.get("cn/loc").info(code):
        for entry in props.get("county", "").split(","):
            match = re.fullmatch(r"(?:\[(\d*)-(\d*)\])?(.+)", entry.strip())
            if match:
                yield int(match[1] or 0), int(match[2] or 9999), match[3]


def birth_place_code(district_code: str, year: int) -> str:
    """The place code of a resident ID issued for a birth in ``year``: the district's own code, or, for a
    district created later (怀柔区 2001, 密云区 2015, ...), the code of the county it was then (怀柔县 110227)."""
    if any(start <= year <= end for start, end, _name in _county_names(district_code)):
        return district_code
    stems = {name[:-1] for _s, _e, name in _county_names(district_code)}
    for n in range(101, 300):  # the city's districts (..01xx) and counties (..02xx)
        code = f"{district_code[:3]}{n:03d}"
        names = [name[:-1] for start, end, name in _county_names(code) if start <= year <= end and len(name) > 1]
        if any(stem.startswith(name) for name in names for stem in stems):  # 通县 → 通州区
            return code
    return district_code


def make_resident_id(rng, district_code):
    birth = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(0, 40 * 365))
    first17 = f"{birth_place_code(district_code, birth.year)}{birth:%Y%m%d}{rng.randrange(0, 1000):03d}"
    return first17 + id_check_char(first17)


def make_phone(rng):
    return "1" + rng.choice("3456789") + "".join(rng.choice("0123456789") for _ in range(9))


def make_name(rng):
    return rng.choice(data.SURNAMES) + "".join(rng.choice(data.GIVEN) for _ in range(rng.choice((1, 2))))


def make_address(rng, street):
    return f"北京市{street.parent.name}{_short(street.name)}{rng.choice(data.ROAD_STEMS)}{rng.choice(data.ROADS)}{rng.randrange(1, 300)}号"


def _street_weights(streets):
    return [3 if code[:6] in CORE_DISTRICTS else 1 for code in streets]


def load_people_entities_places(ctx: DemoContext, regions):
    rng = ctx.rng
    street_codes = sorted(regions["streets"])
    weights = _street_weights(street_codes)

    existing_people = set(Person.objects.values_list("id_number", flat=True))
    for _ in range(40):
        district = rng.choice(sorted(regions["districts"]))
        number = make_resident_id(rng, district)
        name, phone = make_name(rng), make_phone(rng)
        if number not in existing_people:
            services.person_create(user=None, name=name, id_number=number, phone=phone, address="北京市")
            existing_people.add(number)

    existing_entities = {e.uscc: e for e in Entity.objects.all()}
    entities_by_district = {}
    for i in range(ctx.entities):
        street_code = rng.choices(street_codes, weights)[0]
        street = regions["streets"][street_code][0]
        trade, kind, space, pattern = rng.choice(data.TRADES)
        individual = kind in {"restaurant", "shop"} and rng.random() < 0.4
        uscc = make_uscc(rng, street_code[:6], individual)
        a, b = rng.choice(data.SHOP_WORDS), rng.choice(data.SHOP_WORDS)
        name = f"{_short(street.parent.name)}{a}{b}{trade}{'店' if individual else '有限公司'}"
        person, phone, address = make_name(rng), make_phone(rng), make_address(rng, street)
        entity = existing_entities.get(uscc)
        if entity is None:
            entity = services.entity_create(
                user=None, name=name, uscc=uscc, kind=Entity.Kind.INDIVIDUAL_BUSINESS if individual else Entity.Kind.ENTERPRISE,
                legal_representative=person, contact_phone=phone, address=address, region=street,
            )
            existing_entities[uscc] = entity
        entities_by_district.setdefault(street_code[:6], []).append((entity, kind, space, pattern))
        if ctx.progress and (i + 1) % 100 == 0:
            ctx.say(f"  entities: {i + 1}/{ctx.entities}")

    existing_places = set(Place.objects.values_list("name", flat=True))
    per_street = {}
    for _ in range(ctx.places):
        code = rng.choices(street_codes, weights)[0]
        per_street[code] = per_street.get(code, 0) + 1
    done = 0
    for street_code in street_codes:
        count = per_street.get(street_code, 0)
        if not count:
            continue
        street, cell = regions["streets"][street_code]
        short = _short(street.name)
        inner = cell.buffer(-0.0005)
        for n, point in enumerate(random_points_in(inner if inner.area > 0 else cell, count, rng), 1):
            pool = entities_by_district.get(street_code[:6])
            if pool and rng.random() < 0.6:
                entity, kind, space, pattern = rng.choice(pool)
                name = pattern.format(a=entity.name[len(_short(street.parent.name)):][:1], b=entity.name[len(_short(street.parent.name)) + 1:][:1]) + f"（{short}{n}号店）"
                operator = entity
            else:
                kind, space, pattern = rng.choice(data.PUBLIC_PLACES)
                name, operator = pattern.format(street=short, n=n), None
            address = make_address(rng, street)
            done += 1
            if name in existing_places:
                continue
            services.place_create(
                user=None, name=name, kind=kind, space=space, point=Point(point.x, point.y, srid=4326), address=address, operator=operator,
            )
            existing_places.add(name)
            if ctx.progress and done % 200 == 0:
                ctx.say(f"  places: {done}/{ctx.places}")
    ctx.say(f"  entities: {Entity.objects.count()}, places: {Place.objects.count()}, persons: {Person.objects.count()}")


def seed(ctx: DemoContext):
    ctx.say("GBCP: regions, categories, organisations, calendar, places")
    regions = load_regions(ctx)
    load_categories(ctx)
    _bureau, _brigades, squads = load_organizations(ctx, regions)
    load_communities_and_grids(ctx, regions, squads)
    load_calendar(ctx)
    load_people_entities_places(ctx, regions)
