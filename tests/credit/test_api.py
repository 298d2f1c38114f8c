"""The credit API with the five callers: a business's grade with its contributions, the merchant's own, objections, repair, risk."""
import pytest

from apps.credit import services
from apps.credit.models import CreditRecord, Objection
from tests.personas import five_callers


@pytest.fixture
def callers(dongcheng):
    return five_callers(role="legal_reviewer", organization=dongcheng)


@pytest.fixture
def graded(business, restaurant):
    record = services.record_inspection_finding(entity=business, source_ref="test.Finding:api", reason="占道", place=restaurant)
    services.recompute_grade(entity=business)
    return record


@pytest.mark.django_db
def test_a_business_grade_shows_its_contributions_to_the_insider_and_the_business_only(api_as, callers, business, own_merchant, graded,
                                                                                        django_assert_max_num_queries):
    url = f"/api/credit/entities/{business.pk}/"
    with django_assert_max_num_queries(15):
        body = api_as(callers.insider).get(url)
    assert body.status_code == 200
    data = body.json()
    assert data["grade"]["grade"] == "B" and data["grade"]["score"] == 77
    assert data["grade"]["contributions"][0]["weight"] == -3 and data["grade"]["contributions"][0]["why"]
    assert data["records"][0]["repairable_from"] and data["records"][0]["kind"] == "inspection_finding"
    assert data["records"][0]["actions"] == {"repair_record": True}
    own = api_as(own_merchant).get(url)
    assert own.status_code == 200 and own.json()["records"][0]["actions"] == {"repair_record": False}
    for name, user in callers.others():
        expected = 401 if user is None else 404
        assert api_as(user).get(url).status_code == expected, name


@pytest.mark.django_db
def test_mine_is_the_merchants_own_and_nobody_elses(api_as, callers, business, own_merchant, graded):
    mine = api_as(own_merchant).get("/api/credit/mine/")
    assert mine.status_code == 200 and mine.json()["entity"]["id"] == business.pk
    other = api_as(callers.merchant).get("/api/credit/mine/")
    assert other.status_code == 200 and other.json()["entity"]["id"] != business.pk
    for user in (callers.insider, callers.outsider, callers.citizen):
        assert api_as(user).get("/api/credit/mine/").status_code == 404
    assert api_as(None).get("/api/credit/mine/").status_code == 401


@pytest.mark.django_db
def test_the_grade_list_is_scoped_and_paginated(api_as, callers, business, graded):
    inside = api_as(callers.insider).get("/api/credit/grades/", {"q": business.uscc})
    assert inside.status_code == 200 and [r["entity"] for r in inside.json()["results"]] == [business.pk]
    assert api_as(callers.outsider).get("/api/credit/grades/", {"q": business.uscc}).json()["results"] == []
    for user in (callers.citizen, callers.merchant):
        assert api_as(user).get("/api/credit/grades/").json()["count"] == 0
    assert api_as(None).get("/api/credit/grades/").status_code == 401


@pytest.mark.django_db
def test_an_objection_goes_in_through_the_api_and_a_reviewer_decides_it(api_as, callers, own_merchant, graded):
    url = f"/api/credit/records/{graded.pk}/objections/"
    for name, user in callers.items():
        expected = {"anonymous": 401, "merchant": 404, "insider": 403, "outsider": 404, "citizen": 404}[name]
        assert api_as(user).post(url, {"text": "不是我们"}, format="json").status_code == expected, name
    assert api_as(own_merchant).post(url, {"text": ""}, format="json").status_code == 400
    made = api_as(own_merchant).post(url, {"text": "当日未营业"}, format="json")
    assert made.status_code == 201 and made.json()["status"] == "submitted"
    twice = api_as(own_merchant).post(url, {"text": "再次"}, format="json")
    assert twice.status_code == 409 and twice.json()["error"]["code"] == "objection_open"
    decide = f"/api/credit/objections/{made.json()['id']}/decide/"
    assert api_as(own_merchant).post(decide, {"upheld": True, "reason": "x"}, format="json").status_code == 403
    for name, user in callers.others():
        if name != "anonymous":
            assert api_as(user).post(decide, {"upheld": True, "reason": "x"}, format="json").status_code == 404, name
    assert api_as(None).post(decide, {"upheld": True, "reason": "x"}, format="json").status_code == 401
    listed = api_as(callers.insider).get("/api/credit/objections/").json()
    row = next(o for o in listed["results"] if o["id"] == made.json()["id"])
    assert row["actions"] == {"decide_objection": True}
    assert api_as(own_merchant).get("/api/credit/objections/").json()["results"][0]["actions"] == {"decide_objection": False}
    assert api_as(callers.outsider).get("/api/credit/objections/").json()["count"] == 0
    done = api_as(callers.insider).post(decide, {"upheld": True, "reason": "核实停业"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "upheld"
    assert CreditRecord.objects.get(pk=graded.pk).status == "withdrawn" and Objection.objects.get(pk=made.json()["id"]).decided_by == callers.insider


@pytest.mark.django_db
def test_repair_through_the_api_waits_for_the_rule(api_as, callers, own_merchant, graded):
    url = f"/api/credit/records/{graded.pk}/repair/"
    early = api_as(callers.insider).post(url, {"reason": "已整改"}, format="json")
    assert early.status_code == 409 and early.json()["error"]["code"] == "too_early_to_repair"
    assert api_as(own_merchant).post(url, {"reason": "已整改"}, format="json").status_code == 403
    for name, user in callers.others():
        expected = 401 if user is None else 404
        assert api_as(user).post(url, {"reason": "已整改"}, format="json").status_code == expected, name


@pytest.mark.django_db
def test_a_places_risk_is_for_staff_of_its_jurisdiction(api_as, callers, restaurant, graded):
    url = f"/api/credit/places/{restaurant.pk}/risk/"
    body = api_as(callers.insider).get(url)
    assert body.status_code == 200 and [p["part"] for p in body.json()["parts"]][0] == "inherent" and body.json()["parts"][0]["why"]
    for name, user in callers.others():
        expected = 401 if user is None else 404
        assert api_as(user).get(url).status_code == expected, name
