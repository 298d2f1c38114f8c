"""The public disclosure pages and API (行政执法公示): anyone reads what was published, masked; nothing unmasked ever
reaches them. The staff steps over HTTP: five callers; bad input is a 400 that changes nothing."""
import datetime as dt

import pytest
from django.utils import translation

from apps.cases import services
from apps.cases.challenges import CaseChallenge
from apps.cases.disclosures import Disclosure

from .conftest import PERSON_ID
from .test_disclosure import PHONE, decide

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(investigating, officer1, legal, leader):
    return decide(investigating, officer1, legal, leader)


@pytest.fixture
def published(decided, legal):
    return services.disclosure_publish(user=legal, case=decided)


def _unmasked_absent(text):
    assert PERSON_ID not in text and PHONE not in text and "张三" not in text, text[:400]
    assert PERSON_ID[:6] + "*" not in text  # not even the staff-masked form


def test_anyone_reads_the_published_decision_and_nothing_unmasked(client, published, personas):
    for name, user in personas.items():
        if user is not None:
            client.force_login(user)
        else:
            client.logout()
        listing = client.get("/cases/public/")
        detail = client.get(f"/cases/public/{published.pk}/")
        assert (listing.status_code, detail.status_code) == (200, 200), name
        for page in (listing, detail):
            html = page.content.decode()
            _unmasked_absent(html)
            assert "张某某" in html and published.decision_number in html


def test_the_public_api_answers_without_login_and_holds_only_masked_public_fields(api, published):
    listing = api.get("/api/cases/public/")
    assert listing.status_code == 200
    row = next(r for r in listing.json()["results"] if r["id"] == published.pk)
    assert set(row) == {"id", "decision_number", "decided_on", "organ", "party_kind", "party_name", "party_code", "district_code", "place",
                        "cause_name", "legal_basis", "penalty_basis", "penalty", "facts", "published_at"}
    detail = api.get(f"/api/cases/public/{published.pk}/")
    assert detail.status_code == 200 and detail.json()["party_name"] == "张某某" and detail.json()["party_code"] == ""
    _unmasked_absent(listing.content.decode() + detail.content.decode())


def test_a_withdrawn_or_unpublished_decision_is_not_there(client, api, decided, legal):
    disclosure = Disclosure.objects.get(case=decided)
    assert client.get(f"/cases/public/{disclosure.pk}/").status_code == 404  # due, not yet published
    assert api.get(f"/api/cases/public/{disclosure.pk}/").status_code == 404
    services.disclosure_publish(user=legal, case=decided)
    services.disclosure_withdraw(user=legal, case=decided, reason="复议撤销")
    assert client.get(f"/cases/public/{disclosure.pk}/").status_code == 404
    assert api.get(f"/api/cases/public/{disclosure.pk}/").json()["error"]["code"] == "not_found"
    assert disclosure.pk not in [r["id"] for r in api.get("/api/cases/public/").json()["results"]]


def test_the_public_list_is_searched_by_cause_district_and_date(client, api, published):
    def ids(**params):
        return [r["id"] for r in api.get("/api/cases/public/", params).json()["results"]]

    assert published.pk in ids(q="无照") and published.pk not in ids(q="燃气")
    assert published.pk in ids(district="110101") and published.pk not in ids(district="110108")
    assert published.pk in ids(date_from="2026-09-30", date_to="2026-09-30") and published.pk not in ids(date_from="2026-10-01")
    page = client.get("/cases/public/", {"district": "110108"}).content.decode()
    assert published.decision_number not in page


@pytest.mark.parametrize("params", [{"date_from": "2026-13-01"}, {"district": "11010"}, {"date_to": "yesterday"}])
def test_a_bad_public_query_is_a_400_in_the_one_error_format(api, client, params):
    answer = api.get("/api/cases/public/", params)
    assert answer.status_code == 400 and answer.json()["error"]["code"]
    assert client.get("/cases/public/", params).status_code in (200, 400)  # the page shows the form's error instead of a list


def test_the_public_list_is_paginated_and_its_queries_do_not_grow(api, published, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        body = api.get("/api/cases/public/").json()
    assert {"count", "results"} <= set(body)


# --- the staff steps over HTTP ------------------------------------------------------------------------

def test_publishing_over_http_five_callers(api, api_as, decided, legal, personas):
    personas = {**personas, "insider": legal}
    expected = {"outsider": 404, "citizen": 404, "merchant": 404, "anonymous": 401}
    for name, user in personas.items():
        if name == "insider":
            continue
        answer = api_as(user).post(f"/api/cases/{decided.pk}/disclosure-publish/")
        assert answer.status_code == expected[name], (name, answer.status_code)
    assert Disclosure.objects.get(case=decided).status == Disclosure.Status.DUE
    done = api_as(legal).post(f"/api/cases/{decided.pk}/disclosure-publish/")
    assert done.status_code == 200 and done.json()["disclosure"]["status"] == "published"
    assert "disclosure_withdraw" in done.json()["actions"] and done.json()["execution_suspended"] is False


def test_a_case_officer_reading_the_case_over_http_may_not_publish(api_as, decided, officer1):
    assert api_as(officer1).get(f"/api/cases/{decided.pk}/").json()["disclosure"]["status"] == "due"
    assert api_as(officer1).post(f"/api/cases/{decided.pk}/disclosure-publish/").status_code == 403


@pytest.mark.parametrize("body", [{}, {"kind": "appeal", "applicant": "张三", "filed_on": "2026-10-08"},
                                  {"kind": "review", "applicant": "张三", "filed_on": "not a date"},
                                  {"kind": "review", "applicant": "张三", "filed_on": "2026-09-01"}])
def test_a_bad_challenge_is_a_400_and_records_nothing(api_as, decided, legal, body):
    answer = api_as(legal).post(f"/api/cases/{decided.pk}/challenges/", body, format="json")
    assert answer.status_code == 400 and answer.json()["error"]["code"]
    assert not CaseChallenge.objects.filter(case=decided).exists()


def test_an_outcome_over_http_starts_the_withdrawal_and_a_challenge_of_another_case_is_a_404(api_as, decided, legal, officer1, vendor_cause, dhm_place):
    other = services.case_open(user=officer1, source="patrol", cause=vendor_cause, place=dhm_place, facts="另一案件")
    filed = api_as(legal).post(f"/api/cases/{decided.pk}/challenges/", {"kind": "review", "applicant": "张三", "filed_on": "2026-10-08"}, format="json")
    assert filed.status_code == 200
    challenge = filed.json()["challenges"][0]
    assert challenge["outcome"] == "pending" and challenge["organ"]
    services.disclosure_publish(user=legal, case=decided)
    body = {"challenge": challenge["id"], "outcome": "revoked", "outcome_on": "2026-11-02", "outcome_reference": "东政复决〔2026〕3号"}
    assert api_as(legal).post(f"/api/cases/{other.pk}/challenges-decide/", body, format="json").status_code == 404
    done = api_as(legal).post(f"/api/cases/{decided.pk}/challenges-decide/", body, format="json")
    assert done.status_code == 200 and done.json()["disclosure"]["withdrawal_due"] is not None


# --- the case page -----------------------------------------------------------------------------------

def test_the_case_page_says_execution_goes_on_during_review_and_shows_legal_staff_the_forms(client, decided, legal, officer1):
    services.challenge_file(user=legal, case=decided, kind="review", applicant="张三", filed_on=dt.date(2026, 10, 8))
    with translation.override("zh-hans"):
        client.force_login(legal)
        page = client.get(f"/cases/{decided.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        assert "复议/诉讼期间不停止执行" in page and "disclosure-publish" in page and "challenge-outcome" in page
        client.force_login(officer1)
        page = client.get(f"/cases/{decided.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        assert "复议/诉讼期间不停止执行" in page and "disclosure-publish" not in page


def test_publishing_from_the_case_page_and_the_queue(client, decided, legal):
    client.force_login(legal)
    assert decided.number in client.get("/cases/queue/disclosure/").content.decode()
    answer = client.post(f"/cases/{decided.pk}/disclosure-publish/")
    assert answer.status_code == 302
    assert Disclosure.objects.get(case=decided).status == Disclosure.Status.PUBLISHED
    assert decided.number not in client.get("/cases/queue/disclosure/").content.decode()
