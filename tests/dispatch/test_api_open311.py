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
@pytest.mark.parametrize("path", ["services", "requests", "discovery.csv", "services.yaml"])
def test_formats_other_than_xml_and_json_are_refused(api, path):
    response = api.get(BASE + path)
    assert response.status_code == 400
    body = response.json()
    assert isinstance(body, list) and body[0]["code"] == 400 and ".xml" in body[0]["description"] and ".json" in body[0]["description"]


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


# --- idempotency and faults (issue 10, finding 4) ------------------------------------------

def keyed_post(api, data, key):
    return api.post(BASE + "requests.json", data=urlencode(data), content_type="application/x-www-form-urlencoded", HTTP_IDEMPOTENCY_KEY=key)


def request_data(service, point, **extra):
    return {"api_key": API_KEY, "service_code": service.code, "lat": point.y, "long": point.x, "description": DESCRIPTION, **REPORTER, **extra}


@pytest.fixture
def redis_away(settings):
    """The channel layer pointed at a local port nobody listens on: every send is refused, as when Redis is down."""
    import socket

    from channels.layers import channel_layers

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels_redis.core.RedisChannelLayer",
                                           "CONFIG": {"hosts": [{"address": f"redis://127.0.0.1:{port}/0", "socket_connect_timeout": 1}]}}}
    yield
    channel_layers.backends.clear()


@pytest.mark.django_db
def test_a_retry_with_the_same_idempotency_key_returns_the_first_answer_and_makes_no_second_task(api, key_partner, service, dhm_point):
    before = Task.objects.count()
    first = keyed_post(api, request_data(service, dhm_point), "retry-0001-abcdef")
    assert first.status_code == 200, first.content
    again = keyed_post(api, request_data(service, dhm_point), "retry-0001-abcdef")
    assert again.status_code == 200 and again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Task.objects.count() == before + 1
    # The same key in a JSON body with the same fields is the same request.
    as_json = api.post(BASE + "requests.json", request_data(service, dhm_point), format="json", HTTP_IDEMPOTENCY_KEY="retry-0001-abcdef")
    assert as_json.status_code == 200 and as_json.json() == first.json()
    assert Task.objects.count() == before + 1


@pytest.mark.django_db
def test_a_key_reused_with_a_different_body_is_a_422_and_stores_nothing(api, key_partner, service, dhm_point):
    assert keyed_post(api, request_data(service, dhm_point), "reuse-0002-abcdef").status_code == 200
    before = Task.objects.count()
    response = keyed_post(api, request_data(service, dhm_point, description="另一处问题：垃圾桶满溢无人清理"), "reuse-0002-abcdef")
    assert response.status_code == 422
    [error] = response.json()
    assert error["code"] == 422 and "Idempotency-Key" in error["description"]
    assert Task.objects.count() == before


@pytest.mark.django_db
def test_idempotency_keys_are_scoped_to_the_partner(api, key_partner, service, dhm_point):
    Partner.objects.create(name="另一个App", open311_key_hash=Partner.hash_key("open311-other-key-xyz"))
    mine = keyed_post(api, request_data(service, dhm_point), "shared-key-0003")
    theirs = keyed_post(api, request_data(service, dhm_point, api_key="open311-other-key-xyz"), "shared-key-0003")
    assert mine.status_code == theirs.status_code == 200
    assert mine.json()[0]["service_request_id"] != theirs.json()[0]["service_request_id"]
    assert "Idempotent-Replayed" not in theirs


@pytest.mark.django_db
def test_an_expired_key_is_pruned_and_free_again(api, key_partner, service, dhm_point):
    from apps.dispatch.models import IntakeKey
    from apps.dispatch.tasks import prune_intake_keys

    first = keyed_post(api, request_data(service, dhm_point), "expire-0004-abcdef").json()[0]["service_request_id"]
    IntakeKey.objects.filter(key="expire-0004-abcdef").update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert prune_intake_keys.delay().get() == 1
    assert not IntakeKey.objects.filter(key="expire-0004-abcdef").exists()
    second = keyed_post(api, request_data(service, dhm_point), "expire-0004-abcdef").json()[0]["service_request_id"]
    assert second != first


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["short", "with space inside", "x" * 256, "键值-0005-abcdef"])
def test_a_malformed_idempotency_key_is_a_400_and_stores_nothing(api, key_partner, service, dhm_point, key):
    before = Task.objects.count()
    response = keyed_post(api, request_data(service, dhm_point), key)
    assert response.status_code == 400 and response.json()[0]["code"] == 400
    assert Task.objects.count() == before


@pytest.mark.django_db
def test_a_request_that_committed_is_answered_200_while_redis_is_down_and_its_retry_makes_no_second_task(
        api, key_partner, service, dhm_point, redis_away, django_capture_on_commit_callbacks, caplog):
    """Before: the after-commit group_send raised ConnectionError and the committed request answered 500."""
    before = Task.objects.count()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = keyed_post(api, request_data(service, dhm_point), "outage-0006-abcdef")
    assert response.status_code == 200, response.content
    assert callbacks, "the task's event was sent after commit"
    assert "realtime:task.new" in caplog.text and "ConnectionError" in caplog.text
    with django_capture_on_commit_callbacks(execute=True):
        retry = keyed_post(api, request_data(service, dhm_point), "outage-0006-abcdef")
    assert retry.status_code == 200 and retry.json() == response.json()
    assert Task.objects.count() == before + 1


@pytest.mark.django_db
@pytest.mark.parametrize("params, name", [
    ({"start_date": "2026-02-30"}, "start_date"), ({"end_date": "0001-01-01"}, "end_date"),
    ({"start_date": "2026-01-01T00:00:00+25:00"}, "start_date"), ({"end_date": "9999-12-31T23:59:59"}, "end_date"),
    ({"start_date": "1" * 400}, "start_date"), ({"page": str(10**20)}, "page"), ({"page": "0"}, "page"), ({"page_size": "²"}, "page_size"),
])
def test_impossible_dates_offsets_and_pages_are_a_400_naming_the_parameter(api, params, name):
    response = api.get(BASE + "requests.json", params)
    assert response.status_code == 400, response.content
    body = response.json()
    assert body[0]["code"] == 400 and body[0]["description"].startswith(f"{name}: ")


@pytest.mark.django_db
def test_a_bare_end_date_includes_its_whole_day(api, service):
    task = citizen_task(service, days_ago=0)
    today = timezone.localdate().isoformat()
    assert task.number in ids(api.get(BASE + "requests.json", {"start_date": today, "end_date": today}))


@pytest.mark.django_db
def test_deeply_nested_or_oversized_json_is_answered_in_open311_format_and_stores_nothing(api, settings):
    before = Task.objects.count()
    deep = api.post(BASE + "requests.json", data="[" * 100000, content_type="application/json")
    assert deep.status_code == 400 and deep.json()[0]["code"] == 400
    settings.API_JSON_MAX_BYTES = 100
    big = api.post(BASE + "requests.json", data={"description": "x" * 200}, format="json")
    assert big.status_code == 413 and big.json()[0]["code"] == 413
    assert Task.objects.count() == before


@pytest.mark.django_db(transaction=True)
def test_simultaneous_retries_with_one_key_make_exactly_one_task():
    """The key's row is claimed first, so concurrent copies wait on it and answer what the first stored."""
    import json
    import threading

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from apps.gbcp.models import Region

    # A transactional test starts empty: seed a one-district city for it.
    call_command("seed_demo", districts="110101", places=0, entities=0, quiet_progress=True, stdout=open("/dev/null", "w"))
    Partner.objects.create(name="并发App", open311_key_hash=Partner.hash_key(API_KEY))
    service = Organization.objects.get(name="东华门街道综合行政执法队").duties.filter(is_public=True, is_active=True).exclude(deadline_unit="").order_by("code").first()
    point = Region.objects.get(code="110101001").boundary.point_on_surface
    data = urlencode(request_data(service, point))
    answers, barrier = [], threading.Barrier(6)

    def post():
        barrier.wait()
        try:
            response = Client().post(BASE + "requests.json", data=data, content_type="application/x-www-form-urlencoded",
                                     HTTP_IDEMPOTENCY_KEY="race-0007-abcdef")
            answers.append((response.status_code, response.content))
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(answers) == 6 and {status for status, _body in answers} == {200}, answers
    assert len({json.dumps(json.loads(body), sort_keys=True) for _status, body in answers}) == 1  # jsonb may reorder keys
    assert Task.objects.filter(source=Source.OPEN311).count() == 1
