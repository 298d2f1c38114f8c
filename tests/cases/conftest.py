"""Fixtures of enforcement cases: two test causes, the 东华门 squad and a filed case ready for investigation."""
import pytest

TEST_CAUSES = [
    {
        "code": "ZZ-001", "name": "测试：无照经营游商", "area": "", "category_codes": [],
        "legal_basis": "《无证无照经营查处办法》第二条", "penalty_basis": "《无证无照经营查处办法》第十三条",
        "simple_allowed": True, "serious_harm": False,
        "levels": [
            {"level": "slight", "conditions": "初次", "harm": "轻微", "fine_min": 0, "fine_max": 200, "warning_allowed": True},
            {"level": "ordinary", "conditions": "一般", "harm": "一般", "fine_min": 200, "fine_max": 3000, "warning_allowed": False},
            {"level": "serious", "conditions": "严重", "harm": "严重", "fine_min": 3000, "fine_max": 200000, "warning_allowed": False},
        ],
    },
    {
        "code": "ZZ-002", "name": "测试：燃气安全隐患", "area": "", "category_codes": [],
        "legal_basis": "《城镇燃气管理条例》", "penalty_basis": "《城镇燃气管理条例》",
        "simple_allowed": False, "serious_harm": True,
        "levels": [
            {"level": "ordinary", "conditions": "一般", "harm": "一般", "fine_min": 5000, "fine_max": 50000, "warning_allowed": False},
            {"level": "serious", "conditions": "严重", "harm": "严重", "fine_min": 50000, "fine_max": 200000, "warning_allowed": False},
        ],
    },
]


@pytest.fixture
def causes(db):
    from apps.cases import services
    from apps.cases.models import CaseCause

    services.catalogue_load(user=None, causes=TEST_CAUSES)
    return {c.code: c for c in CaseCause.objects.filter(code__in=["ZZ-001", "ZZ-002"])}


@pytest.fixture
def vendor_cause(causes):
    return causes["ZZ-001"]


@pytest.fixture
def gas_cause(causes):
    return causes["ZZ-002"]


def _user(name):
    from apps.accounts.models import User

    return User.objects.get(username=name)


@pytest.fixture
def officer1(db):
    return _user("dhm_officer1")


@pytest.fixture
def officer2(db):
    return _user("dhm_officer2")


@pytest.fixture
def squad_leader(db):
    return _user("dhm_leader")


@pytest.fixture
def leader(db):
    return _user("dc_leader")


@pytest.fixture
def legal(db):
    return _user("dc_legal")


@pytest.fixture
def zgc_officer(db):
    return _user("zgc_officer")


@pytest.fixture
def dhm_place(db):
    from apps.gbcp.models import Place

    return Place.objects.filter(region__code__startswith="110101001").order_by("id").first()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


PERSON_ID = "11010519491231002X"
USCC = "91350100M000100Y43"


@pytest.fixture
def opened(officer1, vendor_cause, dhm_place):
    from apps.cases import services

    return services.case_open(user=officer1, source="patrol", cause=vendor_cause, place=dhm_place, facts="在东华门大街占道经营，经劝阻未改正。",
                              discretion_facts={"harm": "ordinary", "violation_date": "2026-11-01"})


@pytest.fixture
def investigating(opened, officer1, officer2, squad_leader):
    from apps.cases import services

    case = services.case_update(user=officer1, case=opened, party_kind="citizen", party_name="张三", party_code=PERSON_ID)
    case = services.case_file_approve(user=squad_leader, case=case)
    services.case_assign_officers(user=officer1, case=case, officers=[officer2])
    services.case_record_add(user=officer1, case=case, kind="inquiry", content="问：你是否在此经营？答：是。", interviewee="张三")
    return case


@pytest.fixture
def dhm_point(db):
    """A point well inside 东华门街道 (110101001)."""
    from apps.gbcp.models import Region

    return Region.objects.get(code="110101001").boundary.buffer(-0.004).point_on_surface


@pytest.fixture(autouse=True)
def english_messages():
    """Assertions read the English source messages, whether or not the Chinese catalogue is compiled."""
    from django.utils import translation

    with translation.override("en"):
        yield
