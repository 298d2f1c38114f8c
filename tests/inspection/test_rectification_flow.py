"""Rectification notices (整改通知) from inspections: an officer issues one from a failed finding; the business is told
(message and SMS), answers with photos; the officer accepts or returns it with a reason; overdue is shown. The policy
table is iterated with the five callers."""
import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from apps.accounts.models import Role
from apps.gbcp.errors import ApplicationError
from apps.gbcp.models import Entity
from apps.inspection.models import Rectification
from apps.inspection.rectification_policy import RECTIFICATION
from apps.inspection.services import rectifications as services
from apps.realtime import sms
from apps.realtime.models import Notification
from tests.personas import five_callers, user_with
from tests.portal.conftest import image_bytes


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


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


def png():
    return SimpleUploadedFile("fix.png", image_bytes("PNG"), content_type="image/png")


def in_days(n):
    return timezone.localdate() + dt.timedelta(days=n)


@pytest.fixture
def callers(squad):
    return five_callers(role=Role.OFFICER, organization=squad)


@pytest.fixture
def finding(record_with_finding):
    return record_with_finding.findings.select_related("place", "item", "record").get()


@pytest.fixture
def notice(officer1, finding, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.rectification_issue(user=officer1, finding=finding, deadline=in_days(7), requirement="开启油烟净化设施")


@pytest.mark.django_db
def test_an_officer_issues_a_notice_the_business_hears_of_it_by_message_and_sms(notice, merchant, recording_sms, dhm_place):
    assert notice.origin == Rectification.Origin.INSPECTION and notice.entity_id == merchant.entity_id
    assert Notification.objects.filter(recipient=merchant, event="inspection.rectification_issued",
                                       link=f"/inspection/rectifications/{notice.pk}/").count() == 1
    if dhm_place.operator.contact_phone:
        assert len(recording_sms) == 1 and recording_sms[0].params["deadline"] == in_days(7).isoformat()
    page = client_for(merchant).get(f"/inspection/rectifications/{notice.pk}/")
    assert page.status_code == 200 and "开启油烟净化设施" in page.content.decode()


@pytest.mark.django_db
def test_a_finding_gets_one_notice_and_the_deadline_must_be_sensible(officer1, finding, notice):
    with pytest.raises(ApplicationError) as refused:
        services.rectification_issue(user=officer1, finding=finding, deadline=in_days(3), requirement="再发一次")
    assert refused.value.status_code == 409
    other = finding.record.findings.exclude(pk=finding.pk).first()
    if other is not None:
        with pytest.raises(ApplicationError):
            services.rectification_issue(user=officer1, finding=other, deadline=in_days(-1), requirement="过去的日期")


@pytest.mark.django_db
def test_the_business_answers_and_the_officer_returns_then_accepts(notice, merchant, officer1):
    with pytest.raises(ApplicationError):  # a photo of the fix is required
        services.rectification_answer(user=merchant, rectification=notice, note="已整改", photos=[])
    answered = client_for(merchant).post(f"/inspection/rectifications/{notice.pk}/answer/", {"note": "已开启", "photos": png()})
    assert answered.status_code == 302
    notice.refresh_from_db()
    assert notice.status == Rectification.Status.ANSWERED and notice.photos.filter(stage="fix").count() == 1
    assert Notification.objects.filter(recipient=officer1, event="inspection.rectification_answered").exists()
    # Returning needs a reason.
    assert client_for(officer1).post(f"/inspection/rectifications/{notice.pk}/decide/", {"decision": "return"}).status_code == 400
    client_for(officer1).post(f"/inspection/rectifications/{notice.pk}/decide/", {"decision": "return", "reason": "照片看不清"})
    notice.refresh_from_db()
    assert notice.status == Rectification.Status.RETURNED and notice.return_reason == "照片看不清"
    assert Notification.objects.filter(recipient=merchant, event="inspection.rectification_returned").exists()
    services.rectification_answer(user=merchant, rectification=notice, note="重新拍照", photos=[png()])
    client_for(officer1).post(f"/inspection/rectifications/{notice.pk}/decide/", {"decision": "accept"})
    notice.refresh_from_db()
    assert notice.status == Rectification.Status.ACCEPTED and notice.decided_by == officer1
    with pytest.raises(ApplicationError) as late:
        services.rectification_decide(user=officer1, rectification=notice, accept=True)
    assert late.value.status_code == 409


@pytest.mark.django_db
def test_overdue_notices_are_shown_to_staff_and_business(notice, merchant, officer1):
    Rectification.objects.filter(pk=notice.pk).update(deadline=timezone.localdate() - dt.timedelta(days=1))
    staff_page = client_for(officer1).get("/inspection/rectifications/?overdue=1").content.decode()
    assert notice.place.name in staff_page and "overdue-chip" in staff_page
    assert "overdue-chip" in client_for(merchant).get("/inspection/self-check/").content.decode()
    assert "overdue-chip" in client_for(merchant).get("/report/business/").content.decode()


@pytest.mark.django_db
def test_every_step_of_the_table_refuses_all_but_the_insider(callers, finding, merchant, django_capture_on_commit_callbacks):
    other_business = user_with(entity=Entity.objects.exclude(pk=merchant.entity_id).order_by("pk").first(), name="merchant-b")
    # issue: the insider officer of the street squad may; nobody else.
    for name, user in callers.others() + [("business-b", other_business)]:
        with pytest.raises(ApplicationError):
            services.rectification_issue(user=user, finding=finding, deadline=in_days(5), requirement="x")
    with django_capture_on_commit_callbacks(execute=True):
        notice = services.rectification_issue(user=callers.insider, finding=finding, deadline=in_days(5), requirement="x")
    # answer: only a merchant of the business that operates the place.
    for user in [callers.insider, callers.outsider, callers.citizen, callers.anonymous, other_business]:
        assert not RECTIFICATION.allows(user, "answer", notice)
        with pytest.raises(ApplicationError):
            services.rectification_answer(user=user, rectification=notice, note="", photos=[png()])
    assert RECTIFICATION.allows(merchant, "answer", notice)
    services.rectification_answer(user=merchant, rectification=notice, note="", photos=[png()])
    notice.refresh_from_db()
    # accept / return: only the insider.
    for step in ("accept", "return"):
        assert RECTIFICATION.allows(callers.insider, step, notice)
        for name, user in callers.others() + [("merchant", merchant)]:
            assert not RECTIFICATION.allows(user, step, notice), (step, name)
            with pytest.raises(ApplicationError) as refused:
                services.rectification_decide(user=user, rectification=notice, accept=step == "accept", reason="r")
            assert refused.value.status_code in (403, 404)


@pytest.mark.django_db
def test_the_pages_answer_the_five_callers(callers, finding, notice, merchant):
    pages = {
        f"/inspection/findings/{finding.pk}/rectify/": {"insider": 200, "outsider": 404, "citizen": 403, "merchant": 403, "anonymous": 302},
        "/inspection/rectifications/": {"insider": 200, "outsider": 200, "citizen": 403, "merchant": 403, "anonymous": 302},
        f"/inspection/rectifications/{notice.pk}/": {"insider": 200, "outsider": 404, "citizen": 404, "merchant": 404, "anonymous": 302},
    }
    same_business = callers.merchant.entity_id == merchant.entity_id  # the persona merchant may be the demo merchant
    pages[f"/inspection/rectifications/{notice.pk}/"]["merchant"] = 200 if same_business else 404
    for url, expected in pages.items():
        got = {name: client_for(user).get(url).status_code for name, user in callers.items()}
        assert got == expected, url
    assert client_for(merchant).get(f"/inspection/rectifications/{notice.pk}/").status_code == 200
    assert notice.place.name not in client_for(callers.outsider).get("/inspection/rectifications/").content.decode()


@pytest.mark.django_db
def test_the_lists_take_the_same_queries_for_one_or_many_rectifications(officer1, merchant, dhm_place, answers_for, officer2,
                                                                        django_capture_on_commit_callbacks):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from apps.inspection import services as inspection

    def issue_one():
        record = inspection.inspection_record(user=officer1, place=dhm_place, co_officer=officer2, point=dhm_place.point,
                                              answers=answers_for(dhm_place, failed=(0,)))
        with django_capture_on_commit_callbacks(execute=True):
            services.rectification_issue(user=officer1, finding=record.findings.get(), deadline=in_days(3), requirement="整改")

    def count(user, url):
        client = client_for(user)
        client.get(url)  # warm the session and caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    issue_one()
    few = {url: count(user, url) for user, url in ((officer1, "/inspection/rectifications/"), (merchant, "/inspection/self-check/"),
                                                    (merchant, "/report/business/"))}
    for _ in range(3):
        issue_one()
    many = {url: count(user, url) for user, url in ((officer1, "/inspection/rectifications/"), (merchant, "/inspection/self-check/"),
                                                     (merchant, "/report/business/"))}
    assert few == many
