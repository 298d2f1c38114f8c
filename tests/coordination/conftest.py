"""Fixtures of coordination: the 东城 units, other departments made through the organisation service, a department's
own liaison, tasks and evidence made through the other apps' services (never rows written by hand), and personal data
that looks real (a valid phone and resident ID) so the tests can prove it never leaves unmasked."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.accounts.models import Role, User
from apps.dispatch import services as dispatch_services
from apps.dispatch.models import Source
from apps.evidence import services as evidence_services
from apps.gbcp import services as gbcp_services
from apps.gbcp.models import Organization, Region
from tests.imagefiles import small_png
from tests.personas import user_with

SQUAD = "东华门街道综合行政执法队"
BUREAU = "东城区城市管理综合行政执法局"
# Real-looking personal data: an 11-digit mobile number and an 18-character resident ID with a valid check digit.
PHONE = "13912345678"
ID_NUMBER = "110101199003076632"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def english_messages():
    """Assertions read the English source messages."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def squad(db):
    return Organization.objects.select_related("region").get(name=SQUAD)


@pytest.fixture
def bureau(db):
    return Organization.objects.select_related("region").get(name=BUREAU)


@pytest.fixture
def market(db):
    """东城区市场监督管理局: the department leads about unlicensed food shops go to."""
    return gbcp_services.organization_upsert(user=None, name="东城区市场监督管理局（测试）", short_name="东城市场监管", level=Organization.Level.DISTRICT,
                                             kind=Organization.Kind.FUNCTIONAL_DEPARTMENT, region=Region.objects.get(code="110101"))


@pytest.fixture
def haidian_market(db):
    return gbcp_services.organization_upsert(user=None, name="海淀区市场监督管理局（测试）", short_name="海淀市场监管", level=Organization.Level.DISTRICT,
                                             kind=Organization.Kind.FUNCTIONAL_DEPARTMENT, region=Region.objects.get(code="110108"))


@pytest.fixture
def liaison(market):
    """The market regulator's own liaison (a staff member of that department)."""
    return user_with(role=Role.OFFICER, organization=market, name="market-liaison")


@pytest.fixture
def dispatcher(db):
    return User.objects.get(username="dc_dispatcher")


@pytest.fixture
def squad_leader(db):
    return User.objects.get(username="dhm_leader")


@pytest.fixture
def dhm_point(db):
    return Region.objects.get(code="110101001").boundary.buffer(-0.004).point_on_surface


@pytest.fixture
def task(dispatcher, dhm_point):
    """A task of 东华门 with a real-looking reporter's phone in its fields and in its text."""
    return dispatch_services.task_intake(
        user=dispatcher, source=Source.DISPATCHER, point=dhm_point, reporter_name="王建国", reporter_phone=PHONE,
        description=f"东华门大街无证经营熟食摊点，联系电话{PHONE}，摊主身份证{ID_NUMBER}",
    ).task


@pytest.fixture
def photo(dispatcher, task):
    """A photo recorded as evidence of the task (appended to the evidence log)."""
    upload = SimpleUploadedFile("stall.png", small_png(), content_type="image/png")
    return evidence_services.evidence_record(user=dispatcher, file=upload, subject=task)


def pdf_file(name="移送函.pdf"):
    body = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    return SimpleUploadedFile(name, body, content_type="application/pdf")


@pytest.fixture
def pdf():
    return pdf_file()


def zip_names(data: bytes) -> list[str]:
    import zipfile

    return sorted(zipfile.ZipFile(io.BytesIO(data)).namelist())
