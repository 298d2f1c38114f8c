"""Open311 GeoReport v2: services, definitions, creating and reading requests, errors in Open311's format."""
import datetime as dt
from urllib.parse import urlencode

import pytest
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from apps.dispatch import services
from apps.dispatch.models import Partner, Source, Status, Task
from apps.gbcp.models import Category, Organization

BASE = "/open311/v2/"
API_KEY = "open311-test-key-abc"
DESCRIPTION = "故宫东侧东华门外人行道上有共享单车乱停乱放，堆了二十多辆挡住路口"
REPORTER = {"first_name": "六六", "last_name": "赵", "phone": "13655556666", "email": "zhao@example.com"}


@pytest.fixture
def key_partner(db):
    return Partner.objects.create(name="城市随手拍App", open311_key_hash=Partner.hash_key(API_KEY))


@pytest.fixture
def service(db):
    """A public leaf in the duty list of the 东华门 squad."""
    squad = Organization.objects.get(name="东华门街道综合行政执法队")
    return squad.duties.filter(is_public=True, is_active=True).exclude(deadline_unit="").order_by("code").first()


@pytest.fixture
def other_service(db, service):
    return Category.objects.filter(is_public=True, is_active=True).exclude(deadline_unit="").exclude(pk=service.pk).order_by("-code").first()


def form_post(api, data):
    return api.post(BASE + "requests.json", data=urlencode(data), content_type="application/x-www-form-urlencoded")


def create(api, service, point, **extra):
    data = {"api_key": API_KEY, "service_code": service.code, "lat": point.y, "long": point.x, "description": DESCRIPTION, **REPORTER, **extra}
    response = form_post(api, data)
    assert response.status_code == 200, response.content
    return response.json()[0]["service_request_id"]


def citizen_task(category, *, days_ago=1, description="东华门大街路灯不亮", source=Source.CITIZEN):
    return services.task_intake(
        user=None, source=source, description=description, point=None, address="东城区东华门大街",
        category=category, received_at=timezone.now() - dt.timedelta(days=days_ago),
    ).report


def ids(response):
    assert response.status_code == 200, response.content
    return [item["service_request_id"] for item in response.json()]


# --- services ---------------------------------------------------------------------------

@pytest.mark.django_db
def test_services_lists_the_public_leaf_categories(api, service):
    hidden = Category.objects.filter(is_public=True).exclude(deadline_unit="").exclude(pk=service.pk).order_by("code").first()
    Category.objects.filter(pk=hidden.pk).update(is_public=False)
    response = api.get(BASE + "services.json")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    by_code = {item["service_code"]: item for item in response.json()}
    assert hidden.code not in by_code
    assert not any(c.code in by_code for c in Category.objects.filter(deadline_unit=""))
    item = by_code[service.code]
    assert set(item) == {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}
    assert item["service_name"] == service.name and item["group"] == service.parent.name
    assert item["metadata"] is True and item["type"] == "realtime"
    assert item["keywords"] == ",".join(service.keywords)


@pytest.mark.django_db
def test_a_service_definition_has_its_attributes(api, service):
    response = api.get(f"{BASE}services/{service.code}.json")
    assert response.status_code == 200
    body = response.json()
    assert body["service_code"] == service.code
    attributes = {a["code"]: a for a in body["attributes"]}
    assert {"severity", "landmark"} <= set(attributes)
    for attribute in attributes.values():
        assert {"variable", "code", "datatype", "required", "datatype_description", "order", "description"} <= set(attribute)
    assert attributes["severity"]["datatype"] == "singlevaluelist"
    assert {v["key"] for v in attributes["severity"]["values"]} == {"minor", "normal", "serious", "urgent"}
    assert all(set(v) == {"key", "name"} for v in attributes["severity"]["values"])
    assert attributes["landmark"]["datatype"] == "string"


@pytest.mark.django_db
def test_an_unknown_service_definition_is_a_404_in_open311_format(api):
    response = api.get(BASE + "services/NOPE99.json")
    assert response.status_code == 404
    assert response.json() == [{"code": 404, "description": response.json()[0]["description"]}]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["services.xml", "services", "requests.xml", "discovery.csv"])
def test_formats_other_than_json_are_refused(api, path):
    response = api.get(BASE + path)
    assert response.status_code == 400
    body = response.json()
    assert isinstance(body, list) and body[0]["code"] == 400 and ".json" in body[0]["description"]


@pytest.mark.django_db
def test_discovery_names_the_specification(api):
    body = api.get(BASE + "discovery.json").json()
    assert body["endpoints"][0]["specification"] == "http://wiki.open311.org/GeoReport_v2"


# --- creating requests -----------------------------------------------------------------

@pytest.mark.django_db
def test_a_request_with_lat_long_becomes_a_task_and_reads_back(api, key_partner, service, dhm_point):
    response = form_post(api, {"api_key": API_KEY, "service_code": service.code, "lat": dhm_point.y, "long": dhm_point.x,
                                "description": DESCRIPTION, "attribute[severity]": "serious", "attribute[landmark]": "东华门", **REPORTER})
    assert response.status_code == 200, response.content
    [created] = response.json()
    assert set(created) == {"service_request_id", "service_notice", "account_id"} and created["account_id"] is None
    task = Task.objects.select_related("organization").get(number=created["service_request_id"])
    assert (task.source, task.partner, task.category, task.external_ref) == (Source.OPEN311, key_partner, service, "")
    assert task.priority == Task.Priority.HIGH and "东华门" in task.description
    assert task.reporter_phone == "13655556666" and task.reporter_name == "赵六六"
    assert task.organization.name == "东华门街道综合行政执法队"

    detail = api.get(f"{BASE}requests/{task.number}.json")
    assert detail.status_code == 200
    [item] = detail.json()
    assert item["service_request_id"] == task.number and item["status"] == "open"
    assert item["service_code"] == service.code and item["service_name"] == service.name
    assert item["agency_responsible"] == "东华门街道综合行政执法队"
    assert parse_datetime(item["expected_datetime"]) == task.deadline.replace(microsecond=0)
    assert parse_datetime(item["requested_datetime"]) == task.received_at.replace(microsecond=0)
    assert item["lat"] == pytest.approx(dhm_point.y) and item["long"] == pytest.approx(dhm_point.x)
    assert "duplicate_of" not in item
    for key in ("status_notes", "description", "updated_datetime", "address", "address_id", "zipcode", "media_url", "service_notice"):
        assert key in item


@pytest.mark.django_db
def test_a_json_request_with_only_an_address_is_accepted(api, key_partner, service):
    response = api.post(BASE + "requests.json", {"api_key": API_KEY, "service_code": service.code, "address_string": "东城区东华门大街1号",
                                                  "attribute": {"severity": "urgent"}}, format="json")
    assert response.status_code == 200, response.content
    task = Task.objects.get(number=response.json()[0]["service_request_id"])
    assert task.point is None and task.priority == Task.Priority.URGENT
    assert task.description == service.name  # Open311 makes description optional


@pytest.mark.django_db
def test_a_near_identical_second_request_is_merged_and_says_so(api, key_partner, service, dhm_point):
    first = create(api, service, dhm_point)
    response = form_post(api, {"api_key": API_KEY, "service_code": service.code, "lat": dhm_point.y, "long": dhm_point.x,
                                "description": DESCRIPTION, "phone": "13511112222"})
    [second] = response.json()
    assert second["service_request_id"] != first and first in second["service_notice"]
    assert Task.objects.get(number=second["service_request_id"]).status == Status.MERGED

    [item] = api.get(f"{BASE}requests/{second['service_request_id']}.json").json()
    assert item["duplicate_of"] == first and item["status"] == "open"
    listed = {i["service_request_id"]: i for i in api.get(f"{BASE}requests.json", {"service_request_id": f"{first},{second['service_request_id']}"}).json()}
    assert listed[second["service_request_id"]]["duplicate_of"] == first and "duplicate_of" not in listed[first]


@pytest.mark.django_db
@pytest.mark.parametrize("key", [None, "", "wrong-key"], ids=["missing", "empty", "wrong"])
def test_a_bad_api_key_is_a_403_and_stores_nothing(api, key_partner, service, dhm_point, key):
    before = Task.objects.count()
    data = {"service_code": service.code, "lat": dhm_point.y, "long": dhm_point.x, "description": DESCRIPTION}
    if key is not None:
        data["api_key"] = key
    response = form_post(api, data)
    assert response.status_code == 403
    assert response.json()[0]["code"] == 403 and "api_key" in response.json()[0]["description"]
    assert Task.objects.count() == before


@pytest.mark.django_db
def test_an_inactive_partner_key_is_refused(api, key_partner, service, dhm_point):
    Partner.objects.filter(pk=key_partner.pk).update(is_active=False)
    response = form_post(api, {"api_key": API_KEY, "service_code": service.code, "lat": dhm_point.y, "long": dhm_point.x})
    assert response.status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change, word",
    [
        ({"service_code": "NOPE99"}, "service_code"),
        ({"service_code": None}, "service_code"),
        ({"lat": None, "long": None}, "address_string"),
        ({"lat": "95"}, "lat"),
        ({"long": None}, "long"),
        ({"attribute[severity]": "apocalyptic"}, "severity"),
        ({"media_url": "not a url"}, "media_url"),
    ],
    ids=["unknown-service", "no-service", "no-location", "lat-out-of-range", "lat-without-long", "bad-severity", "bad-media-url"],
)
def test_a_bad_request_is_a_400_in_open311_format_and_stores_nothing(api, key_partner, service, dhm_point, change, word):
    data = {"api_key": API_KEY, "service_code": service.code, "lat": dhm_point.y, "long": dhm_point.x, "description": DESCRIPTION}
    for key, value in change.items():
        data.pop(key) if value is None else data.__setitem__(key, value)
    before = Task.objects.count()
    response = form_post(api, data)
    assert response.status_code == 400, response.content
    body = response.json()
    assert isinstance(body, list) and all(e["code"] == 400 for e in body)
    assert any(word in e["description"] for e in body), body
    assert Task.objects.count() == before


@pytest.mark.django_db
def test_malformed_json_is_answered_in_open311_format(api):
    response = api.post(BASE + "requests.json", data=b"{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()[0]["code"] == 400 and "error" not in response.json()[0]


@pytest.mark.django_db
def test_a_point_outside_the_city_is_a_400(api, key_partner, service):
    response = form_post(api, {"api_key": API_KEY, "service_code": service.code, "lat": 31.2304, "long": 121.4737})
    assert response.status_code == 400 and response.json()[0]["code"] == 400


# --- reading requests ------------------------------------------------------------------

@pytest.mark.django_db
def test_the_list_filters_by_service_code_status_and_dates(api, service, other_service):
    recent = citizen_task(service, days_ago=2)
    closed = citizen_task(service, days_ago=3, description="东华门大街垃圾桶满溢")
    Task.objects.filter(pk=closed.pk).update(status=Status.CLOSED, closed_at=timezone.now())
    other = citizen_task(other_service, days_ago=2, description="王府井大街施工噪音扰民")
    old = citizen_task(service, days_ago=120, description="东华门大街夜间施工")
    patrol = citizen_task(service, days_ago=2, description="巡查发现东华门大街占道", source=Source.PATROL)

    default = ids(api.get(BASE + "requests.json"))
    assert {recent.number, closed.number, other.number} <= set(default)
    assert old.number not in default, "older than 90 days without start_date"
    assert patrol.number not in default, "internal sources stay private"

    by_code = ids(api.get(BASE + "requests.json", {"service_code": service.code}))
    assert {recent.number, closed.number} <= set(by_code) and other.number not in by_code
    both = ids(api.get(BASE + "requests.json", {"service_code": f"{service.code},{other_service.code}"}))
    assert {recent.number, other.number} <= set(both)

    open_only = ids(api.get(BASE + "requests.json", {"service_code": service.code, "status": "open"}))
    assert recent.number in open_only and closed.number not in open_only
    closed_only = ids(api.get(BASE + "requests.json", {"service_code": service.code, "status": "closed"}))
    assert closed_only == [closed.number]

    start = (timezone.now() - dt.timedelta(days=150)).isoformat()
    end = (timezone.now() - dt.timedelta(days=100)).isoformat()
    window = ids(api.get(BASE + "requests.json", {"start_date": start, "end_date": end}))
    assert old.number in window and recent.number not in window
    since = ids(api.get(BASE + "requests.json", {"start_date": (timezone.now() - dt.timedelta(days=2, hours=12)).isoformat()}))
    assert recent.number in since and closed.number not in since
    by_day = ids(api.get(BASE + "requests.json", {"start_date": (timezone.localdate() - dt.timedelta(days=121)).isoformat(),
                                                   "end_date": (timezone.localdate() - dt.timedelta(days=119)).isoformat()}))
    assert old.number in by_day

    listed = ids(api.get(BASE + "requests.json", {"service_request_id": f"{old.number},{other.number},{patrol.number}", "service_code": "ignored"}))
    assert sorted(listed) == sorted([old.number, other.number]), "service_request_id overrides every other filter"

    assert api.get(f"{BASE}requests/{patrol.number}.json").status_code == 404
    closed_item = api.get(f"{BASE}requests/{closed.number}.json").json()[0]
    assert closed_item["status"] == "closed"


@pytest.mark.django_db
@pytest.mark.parametrize("params", [{"start_date": "yesterday"}, {"status": "pending"}, {"page_size": "5000"},
                                    {"start_date": "2026-03-10", "end_date": "2026-03-01"}])
def test_bad_filters_are_a_400(api, params):
    response = api.get(BASE + "requests.json", params)
    assert response.status_code == 400 and response.json()[0]["code"] == 400


@pytest.mark.django_db
def test_a_merged_request_is_closed_with_its_master(api, service):
    master = citizen_task(service)
    report = citizen_task(service, description="东华门大街路灯坏了")
    Task.objects.filter(pk=report.pk).update(status=Status.MERGED, master=master)
    assert api.get(f"{BASE}requests/{report.number}.json").json()[0]["status"] == "open"
    Task.objects.filter(pk=master.pk).update(status=Status.CLOSED, result="已更换灯泡")
    [item] = api.get(f"{BASE}requests/{report.number}.json").json()
    assert item["status"] == "closed" and item["duplicate_of"] == master.number and item["status_notes"] == "已更换灯泡"
    closed = ids(api.get(BASE + "requests.json", {"service_request_id": report.number, "status": "open"}))
    assert closed == [report.number]  # the id list overrides the status filter too
    assert report.number in ids(api.get(BASE + "requests.json", {"service_code": service.code, "status": "closed"}))
    assert report.number not in ids(api.get(BASE + "requests.json", {"service_code": service.code, "status": "open"}))


@pytest.mark.django_db
def test_no_reporter_data_is_in_any_read(api, key_partner, service, dhm_point):
    number = create(api, service, dhm_point, description=DESCRIPTION + "，联系我13655556666（赵六六）")
    task = Task.objects.get(number=number)
    Task.objects.filter(pk=task.pk).update(status=Status.CLOSED, result="已联系赵六六（13655556666），已清理")
    for path, params in ((BASE + "requests.json", {}), (f"{BASE}requests/{number}.json", {}), (BASE + "requests.json", {"service_request_id": number})):
        content = api.get(path, params).content.decode()
        assert number in content
        for secret in ("13655556666", "赵六六", "zhao@example.com", "六六"):
            assert secret not in content, (path, secret)


@pytest.mark.django_db
def test_the_list_is_paginated_and_does_not_grow_queries(api, service, django_assert_max_num_queries):
    made = [citizen_task(service, description=f"东华门大街第{i}号路灯不亮") for i in range(6)]
    with django_assert_max_num_queries(2):
        response = api.get(BASE + "requests.json", {"service_code": service.code, "page_size": 2})
    assert len(response.json()) == 2 and int(response["X-Total-Count"]) >= 6
    assert 'rel="next"' in response["Link"] and "page=2" in response["Link"]
    with django_assert_max_num_queries(2):
        everything = ids(api.get(BASE + "requests.json", {"service_code": service.code}))
    assert {t.number for t in made} <= set(everything)


@pytest.mark.django_db
def test_a_token_is_the_request_id(api, service):
    task = citizen_task(service)
    assert api.get(f"{BASE}tokens/{task.number}.json").json() == [{"service_request_id": task.number, "token": task.number}]
    response = api.get(BASE + "tokens/T000.json")
    assert response.status_code == 404 and response.json()[0]["code"] == 404


@pytest.mark.django_db
def test_an_unknown_request_is_a_404_in_open311_format(api):
    response = api.get(BASE + "requests/T19990101000001.json")
    assert response.status_code == 404 and response.json()[0]["code"] == 404
