"""Fixtures of supervision: the 东城 units, a supervisor, rules built for a test, and tasks and cases made through the
other apps' services (never rows written by hand)."""
import datetime as dt

import pytest
from django.contrib.gis.geos import Point
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.dispatch import services as dispatch_services
from apps.dispatch.models import Source
from apps.gbcp import services as gbcp_services
from apps.gbcp.models import Organization, Place, Region
from apps.supervision.models import SupervisionRule
from apps.supervision.rulekinds import clean_parameters
from tests.personas import user_with

SQUAD = "东华门街道综合行政执法队"
BUREAU = "东城区城市管理综合行政执法局"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def english_messages():
    """Assertions read the English source messages."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def only_the_tests_rules(db):
    """The demo's rules stay out of the way: each test measures the rules it makes."""
    SupervisionRule.objects.update(enabled=False)


@pytest.fixture
def squad(db):
    return Organization.objects.select_related("region").get(name=SQUAD)


@pytest.fixture
def bureau(db):
    return Organization.objects.select_related("region").get(name=BUREAU)


@pytest.fixture
def supervisor(bureau):
    return user_with(role=Role.SUPERVISOR, organization=bureau, name="dc-supervisor")


@pytest.fixture
def dispatcher(db):
    return User.objects.get(username="dc_dispatcher")


@pytest.fixture
def squad_leader(db):
    return User.objects.get(username="dhm_leader")


@pytest.fixture
def officer(db):
    return User.objects.get(username="dhm_officer1")


@pytest.fixture
def category(squad):
    return squad.duties.exclude(deadline_unit="").order_by("code").first()


@pytest.fixture
def dhm_point(db):
    """A point well inside 东华门街道 (110101001), the 东华门 squad's street."""
    return Region.objects.get(code="110101001").boundary.buffer(-0.004).point_on_surface


@pytest.fixture
def places(dhm_point):
    """Two shops of 东华门街道, a few dozen metres apart, made through the place service."""
    made = []
    for n, dx in enumerate((0.0, 0.0004)):
        point = Point(dhm_point.x + dx, dhm_point.y, srid=4326)
        made.append(gbcp_services.place_create(user=None, name=f"督办测试商铺{n + 1}", kind=Place.Kind.SHOP, space=Place.Space.PRODUCTION,
                                               point=point, address=f"东华门大街{n + 1}号"))
    return made


@pytest.fixture
def make_rule(db):
    serial = iter(range(1, 1000))

    def make(kind, deadline_days=3, responsible="handler", **parameters):
        return SupervisionRule.objects.create(name=f"测试规则{next(serial)}", kind=kind, parameters=clean_parameters(kind, parameters),
                                              deadline_days=deadline_days, responsible=responsible)

    return make


# Different problems, so that reports at one place stay tasks of their own: the same problem said again at the same
# place is a duplicate, and dedup merges it into the first (it still counts as a complaint: see the cluster rule).
PROBLEMS = ("门前堆物占道，影响通行", "夜里有人烧烤，油烟很大", "路灯不亮，晚上一片漆黑", "井盖丢了，很危险", "墙上贴满小广告",
            "共享单车堆满人行道", "工地半夜施工太吵", "垃圾桶满了没人清运", "下雨后积水很深", "有人私搭彩钢板房")


@pytest.fixture
def report(dispatcher, category):
    """A report at a place, ``hours_ago`` before now, through the intake service: the report's own task (a merged
    duplicate when dedup took it for an earlier report). Without ``text`` each report names another problem."""
    counter = iter(range(1000))

    def make(place, hours_ago=1, text=None):
        n = next(counter)
        result = dispatch_services.task_intake(
            user=dispatcher, source=Source.DISPATCHER, description=text or f"{place.name}{PROBLEMS[n % len(PROBLEMS)]}（第{n + 1}次反映）",
            point=place.point, place=place, category=category, received_at=timezone.now() - dt.timedelta(hours=hours_ago),
        )
        return result.report

    return make
