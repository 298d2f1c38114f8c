"""Ledger API: every endpoint with an insider (东城), an outsider (海淀) and an anonymous caller."""
import datetime as dt
import io

import pytest
from django.urls import reverse

from apps.accounts.models import Role
from apps.gbcp.models import Organization
from apps.ledger import services
from apps.ledger.models import Correction, Finding, FrontageZone, KeyPoint, Licence, LicenceKind, SendBack
from tests.ledger.conftest import csv_bytes
from tests.personas import five_callers

pytestmark = pytest.mark.django_db


@pytest.fixture
def licence(dongcheng_restaurant):
    return Licence.objects.create(kind=LicenceKind.objects.get(code="drainage"), number="T-API-1", place=dongcheng_restaurant,
                                  holder=dongcheng_restaurant.operator, valid_to=dt.date.today() - dt.timedelta(days=3),
                                  region_code=dongcheng_restaurant.region.code)


@pytest.fixture
def zone(dongcheng_restaurant):
    return FrontageZone.objects.create(code="T-API-Z", place=dongcheng_restaurant, duties=["appearance"], responsible_name="王小明",
                                       responsible_phone="13912345678", region_code=dongcheng_restaurant.region.code)


@pytest.fixture
def key_point(dongcheng_restaurant):
    return KeyPoint.objects.create(code="T-API-K", name="测试", place=dongcheng_restaurant, reason="r", interval_days=2,
                                   region_code=dongcheng_restaurant.region.code)


@pytest.fixture
def finding(licence, insider):
    services.comparison_run(user=insider, region_code="110101")
    return Finding.objects.get(licence=licence, rule=Finding.Rule.EXPIRED_STILL_ACTIVE)


# --- lists and details ------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["api-ledger-licence-detail", "api-ledger-zone-detail", "api-ledger-key-point-detail"])
def test_details_are_for_insiders_only(name, licence, zone, key_point, insider, outsider, api, api_as):
    pk = {"api-ledger-licence-detail": licence.pk, "api-ledger-zone-detail": zone.pk, "api-ledger-key-point-detail": key_point.pk}[name]
    url = reverse(name, kwargs={"pk": pk})
    assert api_as(insider).get(url).status_code == 200
    assert api_as(outsider).get(url).status_code == 404
    assert api.get(url).status_code in (401, 403)


@pytest.mark.parametrize("name", ["api-ledger-licence-list", "api-ledger-zone-list", "api-ledger-key-point-list", "api-ledger-finding-list",
                                  "api-ledger-send-back-list", "api-ledger-correction-list"])
def test_lists_are_paginated_and_scoped(name, licence, zone, key_point, finding, insider, outsider, api, api_as):
    url = reverse(name)
    mine = api_as(insider).get(url)
    assert mine.status_code == 200 and "results" in mine.json()
    theirs = api_as(outsider).get(url).json()["results"]
    assert all(not (row.get("region_code") or "").startswith("110101") for row in theirs)
    assert api.get(url).status_code in (401, 403)


def test_the_licence_list_filters_expired_and_shows_lineage(licence, insider, api_as):
    rows = api_as(insider).get(reverse("api-ledger-licence-list"), {"expired": "1", "q": "T-API-1"}).json()["results"]
    assert [r["number"] for r in rows] == ["T-API-1"]
    assert rows[0]["effective_status"] == "expired" and "lineage" in rows[0]
    assert api_as(insider).get(reverse("api-ledger-licence-list"), {"expired": "0", "q": "T-API-1"}).json()["results"] == []


def test_the_licence_list_needs_a_fixed_number_of_queries(insider, api_as, django_assert_max_num_queries):
    client = api_as(insider)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("api-ledger-licence-list"), {"page_size": 100})
    assert response.status_code == 200 and len(response.json()["results"]) > 5


def test_zone_phones_are_masked_for_staff(zone, insider, api_as):
    data = api_as(insider).get(reverse("api-ledger-zone-detail", kwargs={"pk": zone.pk})).json()
    assert data["responsible_phone"] != "13912345678" and data["responsible_phone"].endswith("5678")


def test_the_ledger_of_a_place(dongcheng_restaurant, licence, zone, key_point, insider, outsider, api, api_as):
    url = reverse("api-ledger-place", kwargs={"pk": dongcheng_restaurant.pk})
    data = api_as(insider).get(url).json()
    assert "T-API-1" in [l["number"] for l in data["licences"]] and "T-API-Z" in [z["code"] for z in data["zones"]]
    assert "T-API-K" in [k["code"] for k in data["key_points"]]
    assert api_as(outsider).get(url).status_code == 404
    assert api.get(url).status_code in (401, 403)


# --- imports, comparison, send-back -------------------------------------------------------------

def _upload(place):
    data = csv_bytes(["kind", "number", "place_code", "valid_to"], [["排水许可", "T-API-UP", place.city_code, "2030-01-01"]])
    return io.BytesIO(data)


def test_import_upload_for_insiders(dongcheng_restaurant, insider, outsider, api, api_as, street_officer):
    url = reverse("api-ledger-import")

    def post(client):
        f = _upload(dongcheng_restaurant)
        f.name = "up.csv"
        return client.post(url, {"kind": "licences", "department": "东城区水务局", "file": f}, format="multipart")

    response = post(api_as(insider))
    assert response.status_code == 201 and response.json()["created"] == 1
    again = post(api_as(insider)).json()
    assert again["unchanged"] == 1 and again["same_file_as"] == response.json()["batch"]
    outsider_report = post(api_as(outsider)).json()  # the row lies outside 海淀: it fails, nothing changes
    assert outsider_report["failed"] == 1 and outsider_report["errors"][0]["code"] == "outside_jurisdiction"
    assert post(api_as(street_officer)).status_code == 403
    assert post(api).status_code in (401, 403)


def test_comparison_and_send_back(licence, insider, outsider, api, api_as):
    response = api_as(insider).post(reverse("api-ledger-comparison"), {"region_code": "110101"})
    assert response.status_code == 201
    assert api_as(outsider).post(reverse("api-ledger-comparison"), {"region_code": "110101"}).status_code == 404
    assert api.post(reverse("api-ledger-comparison"), {}).status_code in (401, 403)
    finding = Finding.objects.get(licence=licence, rule=Finding.Rule.EXPIRED_STILL_ACTIVE)
    body = {"findings": [finding.pk], "department": "东城区水务局"}
    assert api_as(outsider).post(reverse("api-ledger-send-back"), body).status_code == 404
    assert api.post(reverse("api-ledger-send-back"), body).status_code in (401, 403)
    sent = api_as(insider).post(reverse("api-ledger-send-back"), body)
    assert sent.status_code == 201 and sent.json()["findings"] == [finding.pk]
    file_url = reverse("api-ledger-send-back-file", kwargs={"pk": sent.json()["id"]})
    assert api_as(insider).get(file_url).content == bytes(SendBack.objects.get(pk=sent.json()["id"]).content)
    assert api_as(outsider).get(file_url).status_code == 404
    assert api.get(file_url).status_code in (401, 403)


# --- corrections -------------------------------------------------------------------------------

def test_officers_and_the_holders_merchant_report_corrections_reviewers_review(licence, street_officer, citizen, insider, outsider, api, api_as):
    # Issue 10: a citizen could name any record by id and read its current value; now only records one may see.
    from apps.accounts.models import User

    holder = User.objects.create(username="ledger_test_merchant", entity=licence.holder)
    url = reverse("api-ledger-correction-list")
    body = {"target_type": "licence", "target_id": licence.pk, "field": "number", "proposed_value": "T-API-2", "reason": "抄错了"}
    assert api_as(street_officer).post(url, body).status_code == 201
    assert api_as(citizen).post(url, {**body, "proposed_value": "T-API-3"}).status_code == 404
    by_citizen = api_as(holder).post(url, {**body, "proposed_value": "T-API-3"})
    assert by_citizen.status_code == 201
    assert [c["id"] for c in api_as(holder).get(url).json()["results"]] == [by_citizen.json()["id"]]
    assert api_as(outsider).post(url, body).status_code == 404
    assert api.post(url, body).status_code in (401, 403)
    assert api_as(street_officer).post(url, {**body, "field": "region_code"}).json()["error"]["code"] == "invalid_field"

    review = reverse("api-ledger-correction-review", kwargs={"pk": by_citizen.json()["id"]})
    assert api_as(outsider).post(review, {"accept": True}).status_code == 404
    assert api.post(review, {"accept": True}).status_code in (401, 403)
    assert api_as(holder).post(review, {"accept": True}).status_code in (403, 404)
    assert api_as(insider).post(review, {"accept": False}).json()["error"]["code"] == "missing_note"
    accepted = api_as(insider).post(review, {"accept": True})
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    licence.refresh_from_db()
    assert licence.number == "T-API-3"
    assert Correction.objects.get(pk=by_citizen.json()["id"]).reviewed_by == insider


def test_the_schema_lists_the_ledger_api(admin_user, api_as):
    response = api_as(admin_user).get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {"/api/ledger/licences/", "/api/ledger/imports/", "/api/ledger/corrections/{id}/review/"} <= set(paths)


def test_a_places_ledger_that_is_not_yours_answers_exactly_like_one_that_is_not_there(dongcheng_restaurant, licence, api_as):
    callers = five_callers(role=Role.DISPATCHER, organization=Organization.objects.get(name="东城区城市管理综合行政执法局"))
    url, missing = (reverse("api-ledger-place", kwargs={"pk": pk}) for pk in (dongcheng_restaurant.pk, 987654321))
    assert licence.pk in [row["id"] for row in api_as(callers.insider).get(url).json()["licences"]]
    for name, user in callers.others():
        theirs, nothing = api_as(user).get(url), api_as(user).get(missing)
        assert (theirs.status_code, theirs.json()) == (nothing.status_code, nothing.json()), name
        assert theirs.status_code == (401 if user is None else 404), name
