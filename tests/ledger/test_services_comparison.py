"""Comparison (比对): findings on seeded mismatches, no duplicates on a re-run, resolution, and send-back."""
import csv
import datetime as dt
import hashlib
import io

import pytest

from apps.gbcp.errors import ApplicationError, NotFound
from apps.gbcp.models import Entity, Place
from apps.ledger import services
from apps.ledger.models import Finding, Licence, LicenceKind, SendBack

pytestmark = pytest.mark.django_db


@pytest.fixture
def unlicensed_restaurant(dongcheng_restaurant):
    Licence.objects.filter(place=dongcheng_restaurant, kind__code=LicenceKind.FOOD).update(status=Licence.Status.REVOKED)
    return dongcheng_restaurant


def _open(rule, **kw):
    return Finding.objects.exclude(status=Finding.Status.RESOLVED).filter(rule=rule, **kw)


def test_a_restaurant_without_a_food_licence_is_found_once(unlicensed_restaurant, insider):
    run = services.comparison_run(user=insider, region_code="110101")
    assert _open(Finding.Rule.RESTAURANT_WITHOUT_FOOD_LICENCE, place=unlicensed_restaurant).count() == 1
    again = services.comparison_run(user=insider, region_code="110101")
    assert _open(Finding.Rule.RESTAURANT_WITHOUT_FOOD_LICENCE, place=unlicensed_restaurant).count() == 1
    assert again.findings_new == 0 and again.findings_open >= 1 and run.region_code == "110101"


def test_a_finding_resolves_when_the_licence_arrives(unlicensed_restaurant, insider):
    services.comparison_run(user=insider, region_code="110101")
    Licence.objects.create(kind=LicenceKind.objects.get(code=LicenceKind.FOOD), number="T-NEW", place=unlicensed_restaurant,
                           valid_to=dt.date.today() + dt.timedelta(days=300), region_code=unlicensed_restaurant.region.code)
    services.comparison_run(user=insider, region_code="110101")
    finding = Finding.objects.get(rule=Finding.Rule.RESTAURANT_WITHOUT_FOOD_LICENCE, place=unlicensed_restaurant)
    assert finding.status == Finding.Status.RESOLVED


def test_an_expired_licence_still_marked_active_is_found_with_its_department(dongcheng_restaurant, insider):
    licence = Licence.objects.create(
        kind=LicenceKind.objects.get(code="drainage"), number="T-EXP", place=dongcheng_restaurant, issuing_department="东城区水务局",
        valid_to=dt.date.today() - dt.timedelta(days=1), region_code=dongcheng_restaurant.region.code,
    )
    services.comparison_run(user=insider)
    finding = _open(Finding.Rule.EXPIRED_STILL_ACTIVE, licence=licence).get()
    assert finding.department == "东城区水务局"
    assert licence.effective_status() == Licence.Status.EXPIRED


def test_an_operator_with_an_invalid_credit_code_is_found(dongcheng_restaurant, insider):
    uscc = dongcheng_restaurant.operator.uscc
    broken = Entity.objects.create(name="校验位错误公司", uscc=uscc[:17] + ("0" if uscc[17] != "0" else "1"))
    Place.objects.filter(pk=dongcheng_restaurant.pk).update(operator=broken)
    services.comparison_run(user=insider, region_code="110101")
    assert _open(Finding.Rule.INVALID_OPERATOR_USCC, place=dongcheng_restaurant, entity=broken).exists()


def test_a_licence_held_by_someone_else_than_the_operator_is_found(dongcheng_restaurant, insider):
    other = Entity.objects.exclude(pk=dongcheng_restaurant.operator_id).first()
    licence = Licence.objects.create(kind=LicenceKind.objects.get(code="drainage"), number="T-HOLD", place=dongcheng_restaurant, holder=other,
                                     valid_to=dt.date.today() + dt.timedelta(days=30), region_code=dongcheng_restaurant.region.code)
    services.comparison_run(user=insider, region_code="110101")
    assert _open(Finding.Rule.HOLDER_NOT_OPERATOR, licence=licence).exists()


def test_an_outsider_cannot_compare_another_district(outsider):
    with pytest.raises(NotFound):
        services.comparison_run(user=outsider, region_code="110101")


def test_sending_back_exports_the_findings_and_records_who_and_the_hash(unlicensed_restaurant, insider):
    services.comparison_run(user=insider, region_code="110101")
    finding = _open(Finding.Rule.RESTAURANT_WITHOUT_FOOD_LICENCE, place=unlicensed_restaurant).get()
    send_back = services.finding_send_back(user=insider, findings=[finding], department="东城区市场监督管理局")
    assert send_back.sent_by == insider and list(send_back.findings.all()) == [finding]
    content = bytes(send_back.content)
    assert send_back.file_sha256 == hashlib.sha256(content).hexdigest()
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0][0] == "问题编号" and rows[1][3] == unlicensed_restaurant.city_code
    finding.refresh_from_db()
    assert finding.status == Finding.Status.SENT_BACK
    services.comparison_run(user=insider, region_code="110101")
    assert _open(Finding.Rule.RESTAURANT_WITHOUT_FOOD_LICENCE, place=unlicensed_restaurant).count() == 1


def test_sending_back_as_xlsx(unlicensed_restaurant, insider):
    from openpyxl import load_workbook

    services.comparison_run(user=insider, region_code="110101")
    finding = _open(Finding.Rule.RESTAURANT_WITHOUT_FOOD_LICENCE, place=unlicensed_restaurant).get()
    send_back = services.finding_send_back(user=insider, findings=[finding], department="d", fmt="xlsx")
    sheet = load_workbook(io.BytesIO(bytes(send_back.content)), read_only=True).worksheets[0]
    assert [r for r in sheet.iter_rows(values_only=True)][1][0] == finding.pk


def test_an_outsider_cannot_send_back_findings_of_another_district(unlicensed_restaurant, insider, outsider):
    services.comparison_run(user=insider, region_code="110101")
    finding = _open(Finding.Rule.RESTAURANT_WITHOUT_FOOD_LICENCE, place=unlicensed_restaurant).get()
    with pytest.raises(NotFound):
        services.finding_send_back(user=outsider, findings=[finding], department="d")
    assert not SendBack.objects.filter(findings=finding).exists()


def test_an_officer_cannot_run_a_comparison(street_officer):
    with pytest.raises(ApplicationError):
        services.comparison_run(user=street_officer)
