"""The case lead pages with the five callers: the list and the lead page for coordinators of the jurisdiction, 404 for
another district's lead, 403 for citizens and merchants, the login page for the anonymous; the steps posted from the
page, the bundle behind an access check, Chinese pages without raw codes, and a list of fixed queries."""
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from apps.coordination import services
from apps.coordination.models import Status
from tests.personas import five_callers

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def callers(bureau):
    return five_callers(role="dispatcher", organization=bureau)


@pytest.fixture
def lead(callers, bureau, market, task, photo):
    return services.lead_create(user=callers.insider, organization=bureau, department=market, title="页面移送测试", facts="无照经营",
                                task=task, attach_linked_evidence=True)


def test_the_list_and_the_lead_page_with_the_five_callers(callers, lead):
    for name, user in callers.items():
        client = client_for(user)
        listing, page = client.get("/coordination/leads/"), client.get(f"/coordination/leads/{lead.pk}/")
        if user is None:
            assert listing.status_code == 302 and "/accounts/login/" in listing["Location"] and page.status_code == 302
        elif name in ("citizen", "merchant"):
            assert (listing.status_code, page.status_code) == (403, 403), name
        elif name == "outsider":
            assert listing.status_code == 200 and lead.number not in listing.content.decode()
            assert page.status_code == 404
            assert client.post(f"/coordination/leads/{lead.pk}/send/").status_code == 404
        else:
            assert listing.status_code == 200 and lead.number in listing.content.decode()
            assert page.status_code == 200 and f"/coordination/leads/{lead.pk}/send/" in page.content.decode()


def test_steps_are_posted_from_the_page_and_the_bundle_is_for_those_who_may_see_the_lead(callers, lead, liaison, pdf):
    insider = client_for(callers.insider)
    assert insider.get(f"/coordination/leads/{lead.pk}/bundle/").status_code == 404  # not sent yet
    insider.post(f"/coordination/leads/{lead.pk}/document/", {"file": pdf, "name": "移送函"})
    assert insider.post(f"/coordination/leads/{lead.pk}/send/").status_code == 302
    lead.refresh_from_db()
    assert lead.status == Status.SENT and lead.documents.count() == 1
    bundle = insider.get(f"/coordination/leads/{lead.pk}/bundle/")
    assert bundle.status_code == 200 and bundle["Content-Type"] == "application/zip"
    assert b"".join(bundle.streaming_content)[:2] == b"PK"
    department = client_for(liaison)
    assert department.get(f"/coordination/leads/{lead.pk}/bundle/").status_code == 200
    for name, user in callers.others():
        response = client_for(user).get(f"/coordination/leads/{lead.pk}/bundle/")
        assert response.status_code in (302, 403, 404), name
        assert response.status_code == {"outsider": 404, "citizen": 403, "merchant": 403, "anonymous": 302}[name]
    department.post(f"/coordination/leads/{lead.pk}/acknowledge/", {})
    department.post(f"/coordination/leads/{lead.pk}/answer/", {"accepted": "0", "reason": ""})  # refused without a reason: nothing changes
    lead.refresh_from_db()
    assert lead.status == Status.RECEIVED
    department.post(f"/coordination/leads/{lead.pk}/answer/", {"accepted": "0", "reason": "不属本部门职责"})
    lead.refresh_from_db()
    assert lead.status == Status.REFUSED


def test_the_forms_are_for_coordinators(callers, bureau, market):
    insider = client_for(callers.insider)
    assert insider.get("/coordination/leads/new/").status_code == 200
    response = insider.post("/coordination/leads/register/", {"organization": bureau.pk, "department": market.pk, "title": "登记移入",
                                                               "facts": "占道经营", "external_ref": "东市监移1号"})
    assert response.status_code == 302
    analyst = client_for(five_callers(role="analyst", organization=bureau).insider)
    assert analyst.get("/coordination/leads/new/").status_code == 404
    # Another district's coordinator cannot pick our unit: the form answers with an error, nothing is made.
    assert client_for(callers.outsider).post("/coordination/leads/register/", {"organization": bureau.pk, "department": market.pk,
                                                                               "title": "越区", "facts": "x"}).status_code in (200, 404)


def test_the_chinese_pages_show_no_english_words_or_codes(callers, lead):
    client = client_for(callers.insider)
    with translation.override("zh-hans"):
        for url in ("/coordination/leads/", f"/coordination/leads/{lead.pk}/", "/coordination/leads/new/"):
            html = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
            main = re.sub(r"<[^>]+>", " ", html.split("<main", 1)[1].split(">", 1)[1].split("</main>", 1)[0])
            main = main.replace(str(callers.insider), "")
            words = [w for w in re.findall(r"[A-Za-z]{3,}", main) if w not in {"SHA", "PDF"}]
            assert words == [], (url, words[:10])


def test_the_list_asks_a_fixed_number_of_queries(callers, bureau, market):
    client = client_for(callers.insider)
    services.lead_create(user=callers.insider, organization=bureau, department=market, title="查询1", facts="x")
    client.get("/coordination/leads/")
    with CaptureQueriesContext(connection) as few:
        client.get("/coordination/leads/")
    for n in range(4):
        services.lead_create(user=callers.insider, organization=bureau, department=market, title=f"查询{n + 2}", facts="x")
    with CaptureQueriesContext(connection) as more:
        client.get("/coordination/leads/")
    assert len(more) == len(few)
