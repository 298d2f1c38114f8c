"""Targeted notices (精准推送): staff of the district target businesses by area, place kind, business kind or list;
recipients are fixed at sending; each business reads and acknowledges; staff see receipts and export them as XLSX."""
import io

import pytest
from django.contrib.gis.geos import Point
from django.test import Client
from openpyxl import load_workbook

from apps.accounts.models import Role
from apps.gbcp import services as gbcp
from apps.gbcp.errors import ApplicationError, NotFound
from apps.gbcp.models import Entity, Organization, Place, Region
from apps.portal import notice_services
from apps.portal.models import NoticeRecipient
from apps.realtime import sms
from apps.realtime.models import Notification
from tests.personas import five_callers, user_with


@pytest.fixture(autouse=True)
def recording_sms(settings):
    settings.SMS_PROVIDER = "apps.realtime.sms.RecordingProvider"
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


def client_for(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def district(db):
    return Organization.objects.select_related("region").get(name="东城区城市管理综合行政执法局")


@pytest.fixture
def callers(district):
    return five_callers(role=Role.DISPATCHER, organization=district)


@pytest.fixture
def two_businesses(db):
    """Business A runs a restaurant in 东华门, business B a shop there; each with a merchant user."""
    street = Region.objects.get(code="110101001")
    centre = street.boundary.buffer(-0.002).point_on_surface
    a = Entity.objects.create(name="甲餐饮有限公司", uscc="91110101MA00000018", contact_phone="13811110001", region=street)
    b = Entity.objects.create(name="乙商贸有限公司", uscc="91110101MA0000002B", contact_phone="13811110002", region=street,
                              kind=Entity.Kind.INDIVIDUAL_BUSINESS)
    for entity, kind in ((a, Place.Kind.RESTAURANT), (b, Place.Kind.SHOP)):
        gbcp.place_create(user=None, name=f"{entity.name}门店", kind=kind, space=Place.Space.PRODUCTION,
                          point=Point(centre.x, centre.y, srid=4326), operator=entity)
    return (a, user_with(entity=a, name="biz-a")), (b, user_with(entity=b, name="biz-b"))


def _send(user, **target):
    return notice_services.notice_send(user=user, title="门前三包提示", body="请保持门前整洁。", region_code=target.pop("region_code", "110101001"),
                                       **target)


@pytest.mark.django_db
def test_recipients_follow_the_target_and_are_stored(callers, two_businesses, django_capture_on_commit_callbacks, recording_sms):
    (a, user_a), (b, user_b) = two_businesses
    with django_capture_on_commit_callbacks(execute=True):
        notice = _send(callers.insider, place_kinds=[Place.Kind.RESTAURANT])
    recipients = set(notice.recipients.values_list("entity_id", flat=True))
    assert a.pk in recipients and b.pk not in recipients
    assert Notification.objects.filter(recipient=user_a, event="portal.notice").exists()
    assert not Notification.objects.filter(recipient=user_b, event="portal.notice").exists()
    assert "13811110001" in {m.phone for m in recording_sms} and "13811110002" not in {m.phone for m in recording_sms}
    assert NoticeRecipient.objects.get(notice=notice, entity=a).sms_status == "sent"
    by_kind = _send(callers.insider, entity_kinds=[Entity.Kind.INDIVIDUAL_BUSINESS])
    assert b.pk in set(by_kind.recipients.values_list("entity_id", flat=True))
    assert a.pk not in set(by_kind.recipients.values_list("entity_id", flat=True))
    listed = _send(callers.insider, entities=[b])
    assert list(listed.recipients.values_list("entity_id", flat=True)) == [b.pk]


@pytest.mark.django_db
def test_only_district_staff_of_the_right_roles_send(callers, two_businesses):
    with pytest.raises(NotFound):
        _send(callers.outsider)
    for user in (callers.citizen, callers.merchant, callers.anonymous):
        with pytest.raises(ApplicationError) as refused:
            _send(user)
        assert refused.value.status_code == 403
    officer = user_with(role=Role.OFFICER, organization=callers.insider.organizations()[0], name="officer")
    with pytest.raises(ApplicationError):
        _send(officer)


@pytest.mark.django_db
def test_the_business_reads_and_acknowledges_and_staff_see_it_and_export_it(callers, two_businesses):
    (a, user_a), (b, user_b) = two_businesses
    notice = _send(callers.insider)
    detail = f"/report/business/notices/{notice.pk}/"
    assert client_for(user_a).get(detail).status_code == 200
    receipt = NoticeRecipient.objects.get(notice=notice, entity=a)
    assert receipt.read_at is not None and receipt.acknowledged_at is None
    assert client_for(user_a).post(f"{detail}acknowledge/").status_code == 302
    receipt.refresh_from_db()
    assert receipt.acknowledged_by == user_a
    staff_page = client_for(callers.insider).get(f"/report/notices/{notice.pk}/").content.decode()
    assert a.name in staff_page and b.name in staff_page
    export = client_for(callers.insider).get(f"/report/notices/{notice.pk}/receipts.xlsx")
    assert export.status_code == 200
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    row_a = next(r for r in rows if r[0] == a.name)
    assert row_a[1] == a.uscc and row_a[3] and row_a[5]
    row_b = next(r for r in rows if r[0] == b.name)
    assert not row_b[5]


@pytest.mark.django_db
def test_a_business_that_was_not_sent_the_notice_gets_404(callers, two_businesses):
    (a, user_a), (b, user_b) = two_businesses
    notice = _send(callers.insider, entities=[a])
    for user in (user_b, callers.insider, callers.citizen):
        assert client_for(user).get(f"/report/business/notices/{notice.pk}/").status_code == 404
        assert client_for(user).post(f"/report/business/notices/{notice.pk}/acknowledge/").status_code == 404
    assert client_for().get(f"/report/business/notices/{notice.pk}/").status_code == 302


@pytest.mark.django_db
def test_the_staff_pages_answer_the_five_callers(callers, two_businesses):
    notice = _send(callers.insider)
    for url in ("/report/notices/", f"/report/notices/{notice.pk}/", f"/report/notices/{notice.pk}/receipts.xlsx"):
        got = {name: client_for(user).get(url).status_code for name, user in callers.items()}
        expected = {"insider": 200, "outsider": 404 if "/notices/" + str(notice.pk) in url else 200, "citizen": 403,
                    "merchant": 403, "anonymous": 302}
        assert got == expected, url


@pytest.mark.django_db
def test_the_form_refuses_a_listed_business_outside_the_area(callers, two_businesses):
    far = Entity.objects.exclude(region__code__startswith="110101").exclude(places__region__code__startswith="110101").first()
    answer = client_for(callers.insider).post("/report/notices/", {"title": "t", "body": "b", "region_code": "110101",
                                                                    "usccs": far.uscc, "needs_ack": "on"})
    assert answer.status_code == 400 and far.uscc in answer.content.decode()


@pytest.mark.django_db
def test_the_receipts_page_takes_the_same_queries_for_few_or_many_recipients(callers, two_businesses):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    (a, user_a), (b, user_b) = two_businesses

    def count(notice):
        client = client_for(callers.insider)
        client.get(f"/report/notices/{notice.pk}/")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/report/notices/{notice.pk}/").status_code == 200
        return len(queries)

    one = _send(callers.insider, entities=[a])
    everyone = _send(callers.insider, region_code="110101")
    assert everyone.recipients.count() > 2
    assert count(one) == count(everyone)
