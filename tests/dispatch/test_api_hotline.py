"""The 12345 hotline API: signed pushes, idempotency, validation, routing and polling, through HTTP."""
import datetime as dt
import json
import threading
import time

import pytest
from django.utils import timezone

from apps.dispatch.api.partner_auth import claim_nonce, signed_headers
from apps.dispatch.models import HotlineTicket, OutboxMessage, Partner, Source, Status, Task
from apps.dispatch.outbox import sign
from apps.gbcp.coords import gcj02_to_wgs84, wgs84_to_gcj02

URL = "/api/dispatch/hotline/tickets/"
CONTENT = "东华门大街北口有三轮车流动售卖烤红薯，占用盲道影响行人通行，请城管处理"


@pytest.fixture
def partner(db):
    return Partner.objects.create(name="测试区12345分中心", hotline_secret="first-secret-0123456789")


@pytest.fixture
def other_partner(db):
    return Partner.objects.create(name="other-hotline", hotline_secret="second-secret-9876543210")


def as_meta(headers: dict) -> dict:
    return {"HTTP_" + name.upper().replace("-", "_"): value for name, value in headers.items()}


def headers(partner, body: bytes, *, method="POST", path=URL, query="", timestamp=None, nonce=None, secret=None, name=None):
    """What a partner's client sends, signed with the shared client helper."""
    return as_meta(signed_headers(
        secret or partner.hotline_secret, partner=name if name is not None else partner.name,
        method=method, path=path, query=query, body=body, timestamp=timestamp, nonce=nonce,
    ))


def push(api, partner, data, **kwargs):
    body = data if isinstance(data, bytes) else json.dumps(data, ensure_ascii=False).encode()
    return api.post(URL, data=body, content_type="application/json", **headers(partner, body, **kwargs))


def poll(api, partner, ticket_number, **kwargs):
    path = f"{URL}{ticket_number}/"
    return api.get(path, **headers(partner, b"", method="GET", path=path, **kwargs))


@pytest.fixture
def ticket(dhm_point, vendor_category):
    received = timezone.now() - dt.timedelta(minutes=5)
    return {
        "ticket_number": "GD20260315000123",
        "received_at": received.isoformat(),
        "citizen_name": "李秀英",
        "citizen_phone": "13912345678",
        "content": CONTENT,
        "address": "东城区东华门大街北口",
        "lat": dhm_point.y,
        "lon": dhm_point.x,
        "category_hint": vendor_category.code,
        "priority": "high",
    }


def counts():
    return Task.objects.count(), HotlineTicket.objects.count(), OutboxMessage.objects.count()


@pytest.mark.django_db
def test_the_same_ticket_twice_makes_one_task(api, partner, ticket):
    before = counts()
    first = push(api, partner, ticket)
    assert first.status_code == 201, first.content
    again = push(api, partner, ticket)
    assert again.status_code == 200, again.content
    assert again.json() == first.json()
    body = first.json()
    assert set(body) == {"ticket_number", "task_number", "tracking_code", "status", "merged_into", "deadline"}
    assert body["ticket_number"] == ticket["ticket_number"] and body["merged_into"] is None and body["status"] == Status.NEW
    assert counts() == (before[0] + 1, before[1] + 1, before[2] + 1)

    task = Task.objects.get(number=body["task_number"])
    stored = HotlineTicket.objects.get(partner=partner, ticket_number=ticket["ticket_number"])
    assert stored.task == task and stored.payload["citizen_phone"] == "13912345678"
    assert (task.source, task.partner, task.external_ref) == (Source.HOTLINE, partner, ticket["ticket_number"])
    assert (task.reporter_name, task.reporter_phone, task.priority) == ("李秀英", "13912345678", Task.Priority.HIGH)
    ack = OutboxMessage.objects.get(task=task)
    assert ack.kind == OutboxMessage.Kind.ACK and ack.payload["ticket_number"] == ticket["ticket_number"]


@pytest.mark.django_db
@pytest.mark.parametrize("hotline_first", [True, False], ids=["hotline-deadline-earlier", "category-deadline-earlier"])
def test_a_ticket_with_a_point_is_routed_and_gets_the_earlier_deadline(api, partner, ticket, vendor_category, hotline_first):
    received = timezone.now() - dt.timedelta(minutes=5)
    own = vendor_category.deadline_from(received)
    hotline_deadline = received + (own - received) / 2 if hotline_first else own + dt.timedelta(days=3)
    ticket.update(received_at=received.isoformat(), deadline=hotline_deadline.isoformat())

    response = push(api, partner, ticket)
    assert response.status_code == 201, response.content
    task = Task.objects.select_related("organization").get(number=response.json()["task_number"])
    assert task.region_code.startswith("110101001")
    assert task.organization is not None and task.organization.name == "东华门街道综合行政执法队"
    assert task.category == vendor_category
    assert task.external_deadline == hotline_deadline
    assert task.deadline == min(own, hotline_deadline)
    assert response.json()["deadline"] == timezone.localtime(task.deadline).isoformat()


@pytest.mark.django_db
def test_a_gcj02_point_is_converted_to_wgs84(api, partner, ticket, dhm_point):
    lon, lat = wgs84_to_gcj02(dhm_point.x, dhm_point.y)
    ticket.update(lat=lat, lon=lon, crs="gcj02")
    response = push(api, partner, ticket)
    assert response.status_code == 201, response.content
    task = Task.objects.get(number=response.json()["task_number"])
    expected_lon, expected_lat = gcj02_to_wgs84(lon, lat)
    assert task.point.x == pytest.approx(expected_lon, abs=1e-7) and task.point.y == pytest.approx(expected_lat, abs=1e-7)
    assert task.point.distance(dhm_point) < 1e-5  # back where the WGS-84 point was, to about a metre


@pytest.mark.django_db
def test_a_second_ticket_about_the_same_problem_is_merged(api, partner, ticket):
    first = push(api, partner, ticket).json()
    ticket.update(ticket_number="GD20260315000124", citizen_phone="13700001111", citizen_name="王五")
    second = push(api, partner, ticket)
    assert second.status_code == 201
    body = second.json()
    assert body["merged_into"] == first["task_number"] and body["status"] == Status.MERGED
    assert body["task_number"] != first["task_number"]
    report = Task.objects.get(number=body["task_number"])
    assert HotlineTicket.objects.get(ticket_number="GD20260315000124").task == report
    ack = OutboxMessage.objects.get(task=report).payload
    assert ack["merged_into"] == first["task_number"]
    assert ack["ticket_number"] == "GD20260315000124", "the centre is told about its second ticket, not the first"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "tamper, code",
    [
        ({"secret": "not-the-secret"}, "bad_signature"),
        ({"timestamp": int(time.time()) - 3600}, "stale_timestamp"),
        ({"timestamp": int(time.time()) + 3600}, "stale_timestamp"),
        ({"name": "不存在的热线"}, "unknown_partner"),
    ],
    ids=["bad-signature", "old-timestamp", "future-timestamp", "unknown-partner"],
)
def test_an_unsigned_or_wrongly_signed_push_is_refused_and_stores_nothing(api, partner, ticket, tamper, code):
    before = counts()
    response = push(api, partner, ticket, **tamper)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == code
    assert response["WWW-Authenticate"].startswith("CityEnforce-HMAC-SHA256")
    assert counts() == before


@pytest.mark.django_db
def test_a_body_changed_after_signing_is_refused(api, partner, ticket):
    body = json.dumps(ticket, ensure_ascii=False).encode()
    signed = headers(partner, body)
    ticket["content"] = "改过的内容"
    before = counts()
    response = api.post(URL, data=json.dumps(ticket, ensure_ascii=False).encode(), content_type="application/json", **signed)
    assert response.status_code == 401 and response.json()["error"]["code"] == "bad_signature"
    assert counts() == before


@pytest.mark.django_db
def test_the_partner_may_name_itself_by_id(api, partner, ticket):
    response = push(api, partner, ticket, name=str(partner.pk))
    assert response.status_code == 201


@pytest.mark.django_db
def test_an_anonymous_push_is_refused(api, ticket):
    before = counts()
    response = api.post(URL, data=ticket, format="json")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    assert counts() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change, field",
    [
        ({"content": None}, "content"),
        ({"received_at": "2026-13-45 25:61"}, "received_at"),
        ({"received_at": None}, "received_at"),
        ({"deadline": "next tuesday"}, "deadline"),
        ({"lat": 123.0}, "lat"),
        ({"lon": None}, "lon"),
        ({"lat": None, "lon": None, "address": ""}, "address"),
        ({"priority": "whenever"}, "priority"),
        ({"ticket_number": None}, "ticket_number"),
        ({"received_at": (timezone.now() + dt.timedelta(days=1)).isoformat()}, "received_at"),
    ],
    ids=["no-content", "bad-date", "no-received-at", "bad-deadline", "lat-out-of-range", "lat-without-lon",
         "no-address-no-point", "bad-priority", "no-ticket-number", "received-in-the-future"],
)
def test_a_malformed_ticket_gets_a_clear_400_and_stores_nothing(api, partner, ticket, change, field):
    for key, value in change.items():
        if value is None:
            ticket.pop(key)
        else:
            ticket[key] = value
    before = counts()
    response = push(api, partner, ticket)
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid" and field in error["details"], error
    assert counts() == before


@pytest.mark.django_db
def test_a_body_that_is_not_json_is_refused(api, partner):
    before = counts()
    response = push(api, partner, b"ticket_number=1&content=x")
    assert response.status_code == 400 and response.json()["error"]["code"] == "parse_error"
    assert counts() == before


@pytest.mark.django_db
def test_a_point_outside_the_city_is_refused_and_nothing_is_stored(api, partner, ticket):
    ticket.update(lat=31.2304, lon=121.4737)  # 上海
    before = counts()
    response = push(api, partner, ticket)
    assert response.status_code == 400 and response.json()["error"]["code"] == "outside_city"
    assert counts() == before


@pytest.mark.django_db
def test_a_ticket_without_a_point_is_taken_in_by_its_address(api, partner, ticket):
    del ticket["lat"], ticket["lon"]
    response = push(api, partner, ticket)
    assert response.status_code == 201, response.content
    task = Task.objects.get(number=response.json()["task_number"])
    assert task.point is None and task.address == "东城区东华门大街北口"


# --- polling: insider, outsider, anonymous ---------------------------------------------

@pytest.mark.django_db
def test_the_partner_polls_its_ticket(api, partner, ticket):
    pushed = push(api, partner, ticket).json()
    response = poll(api, partner, ticket["ticket_number"])
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["task_number"] == pushed["task_number"] and body["status"] == Status.NEW
    assert body["handling_status"] == Status.NEW
    assert body["organization"] == "东华门街道综合行政执法队"
    assert {"result", "solved", "handled_at", "closed_at", "satisfied", "alert", "received_at"} <= set(body)
    assert body["result"] == "" and body["closed_at"] is None


@pytest.mark.django_db
def test_the_poll_shows_the_result_and_callback_once_the_task_is_closed(api, partner, ticket, insider):
    from apps.accounts.models import User
    from apps.dispatch import services

    pushed = push(api, partner, ticket).json()
    task = Task.objects.get(number=pushed["task_number"])
    leader, officer = User.objects.get(username="dhm_leader"), User.objects.get(username="dhm_officer1")
    services.task_dispatch(user=insider, task=task)
    services.task_accept(user=leader, task=task)
    services.task_feedback(user=officer, task=task, result="已劝离售卖人员，盲道已清理")
    services.task_verify(user=insider, task=task, approved=True, rating="satisfied")

    body = poll(api, partner, ticket["ticket_number"]).json()
    assert body["status"] == Status.CLOSED and body["result"] == "已劝离售卖人员，盲道已清理"
    assert body["solved"] is True and body["satisfied"] is True and body["closed_at"] is not None
    kinds = set(OutboxMessage.objects.filter(task=task).values_list("kind", flat=True))
    assert kinds == {OutboxMessage.Kind.ACK, OutboxMessage.Kind.RESULT, OutboxMessage.Kind.CALLBACK}


@pytest.mark.django_db
def test_another_partner_cannot_see_the_ticket(api, partner, other_partner, ticket):
    push(api, partner, ticket)
    response = poll(api, other_partner, ticket["ticket_number"])
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.django_db
def test_an_anonymous_poll_is_refused(api, partner, ticket):
    push(api, partner, ticket)
    response = api.get(f"{URL}{ticket['ticket_number']}/")
    assert response.status_code == 401


@pytest.mark.django_db
def test_an_unknown_ticket_is_not_found(api, partner):
    assert poll(api, partner, "GD-NOPE").status_code == 404


# --- what the signature covers, freshness, replays and size (issue 10, finding 9) -------------------------

@pytest.mark.django_db
def test_a_signature_captured_for_one_ticket_does_not_read_another(api, partner, ticket):
    push(api, partner, ticket)
    ticket.update(ticket_number="GD20260315000999", content="另一张工单：东华门大街南口占道堆放杂物", citizen_phone="13700009999")
    push(api, partner, ticket)
    captured = headers(partner, b"", method="GET", path=f"{URL}GD20260315000123/")
    assert api.get(f"{URL}GD20260315000123/", **captured).status_code == 200
    stolen = api.get(f"{URL}GD20260315000999/", **captured)
    assert stolen.status_code == 401 and stolen.json()["error"]["code"] == "bad_signature"
    assert "13700009999" not in stolen.content.decode()


@pytest.mark.django_db
def test_the_signature_covers_the_method_and_the_query(api, partner, ticket):
    push(api, partner, ticket)
    path = f"{URL}{ticket['ticket_number']}/"
    as_post = headers(partner, b"", method="POST", path=path)
    assert api.get(path, **as_post).status_code == 401
    with_query = headers(partner, b"", method="GET", path=path, query="fields=all&lang=en")
    assert api.get(path + "?fields=all&lang=zh", **with_query).json()["error"]["code"] == "bad_signature"
    assert api.get(path + "?fields=all", **headers(partner, b"", method="GET", path=path, query="fields=all&lang=en")).status_code == 401


@pytest.mark.django_db
def test_the_query_is_signed_in_its_canonical_form(api, partner, ticket):
    push(api, partner, ticket)
    path = f"{URL}{ticket['ticket_number']}/"
    signed = headers(partner, b"", method="GET", path=path, query="b=%E4%B8%9C%E5%9F%8E&a=1&a=0&c=x+y")
    # Reordered parameters and another (equivalent) percent-encoding are the same request.
    response = api.get(path + "?a=0&c=x%20y&b=东城&a=1", **signed)
    assert response.status_code == 200, response.content


@pytest.mark.django_db
def test_a_request_signed_the_old_way_is_refused(api, partner, ticket):
    body = json.dumps(ticket, ensure_ascii=False).encode()
    timestamp = str(int(time.time()))
    old = {"HTTP_X_PARTNER": partner.name, "HTTP_X_TIMESTAMP": timestamp, "HTTP_X_NONCE": "0123456789abcdef0123",
           "HTTP_X_SIGNATURE": sign(partner.hotline_secret, timestamp, body)}
    before = counts()
    response = api.post(URL, data=body, content_type="application/json", **old)
    assert response.status_code == 401 and response.json()["error"]["code"] == "bad_signature"
    assert counts() == before


@pytest.mark.django_db
# Two seconds of margin each side: the timestamp is whole seconds and the request takes a moment.
@pytest.mark.parametrize("offset, accepted", [(-297, True), (-303, False), (57, True), (63, False), (600, False)],
                         ids=["297s-old", "303s-old", "57s-ahead", "63s-ahead", "ten-minutes-ahead"])
def test_a_timestamp_may_lie_five_minutes_back_but_only_a_minute_ahead(api, partner, ticket, offset, accepted):
    response = push(api, partner, ticket, timestamp=int(time.time()) + offset)
    if accepted:
        assert response.status_code == 201, response.content
    else:
        assert response.status_code == 401 and response.json()["error"]["code"] == "stale_timestamp"
        assert not HotlineTicket.objects.filter(ticket_number=ticket["ticket_number"]).exists()


@pytest.mark.django_db
def test_a_replayed_request_is_refused_inside_the_window(api, partner, ticket):
    push(api, partner, ticket)
    path = f"{URL}{ticket['ticket_number']}/"
    captured = headers(partner, b"", method="GET", path=path)
    assert api.get(path, **captured).status_code == 200
    replay = api.get(path, **captured)
    assert replay.status_code == 401
    assert replay.json()["error"]["code"] == "replayed"
    assert replay["WWW-Authenticate"].startswith("CityEnforce-HMAC-SHA256")
    # A fresh nonce is a new request.
    assert poll(api, partner, ticket["ticket_number"]).status_code == 200


@pytest.mark.django_db
def test_a_replayed_push_stores_nothing_new(api, partner, ticket):
    body = json.dumps(ticket, ensure_ascii=False).encode()
    captured = headers(partner, body)
    assert api.post(URL, data=body, content_type="application/json", **captured).status_code == 201
    before = counts()
    replay = api.post(URL, data=body, content_type="application/json", **captured)
    assert replay.status_code == 401 and replay.json()["error"]["code"] == "replayed"
    assert counts() == before


@pytest.mark.django_db
@pytest.mark.parametrize("nonce", ["", "short", "has space in it 123", "x" * 65], ids=["missing", "too-short", "space", "too-long"])
def test_a_request_without_a_proper_nonce_is_refused(api, partner, ticket, nonce):
    before = counts()
    response = push(api, partner, ticket, nonce=nonce)
    assert response.status_code == 401 and response.json()["error"]["code"] == "bad_nonce"
    assert counts() == before


@pytest.mark.django_db
def test_a_nonce_of_a_badly_signed_request_is_not_used_up(api, partner, ticket):
    nonce = "f" * 32
    assert push(api, partner, ticket, nonce=nonce, secret="not-the-secret").status_code == 401
    assert push(api, partner, ticket, nonce=nonce).status_code == 201


def test_only_one_of_many_simultaneous_uses_of_a_nonce_wins(db):
    partner = Partner(pk=987654, name="race")
    results, barrier = [], threading.Barrier(12)

    def claim():
        barrier.wait()
        try:
            claim_nonce(partner, "race-nonce-0123456789")
            results.append("ok")
        except Exception as exc:  # noqa: BLE001 - the refusal is what is counted
            results.append(getattr(exc, "default_code", type(exc).__name__))

    threads = [threading.Thread(target=claim) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count("ok") == 1 and len(results) == 12


@pytest.mark.django_db
def test_a_signed_six_megabyte_body_is_refused_with_413(api, partner, ticket):
    ticket["content"] = "占道经营" * (6 * 1024 * 1024 // 12)
    body = json.dumps(ticket, ensure_ascii=False).encode()
    assert len(body) > 6 * 1024 * 1024
    before = counts()
    response = api.post(URL, data=body, content_type="application/json", **headers(partner, body))
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"
    assert counts() == before


@pytest.mark.django_db
def test_the_size_limit_is_checked_on_the_declared_length_before_reading(api, partner, ticket):
    body = json.dumps(ticket, ensure_ascii=False).encode()
    response = api.generic("POST", URL, data=body, content_type="application/json",
                           CONTENT_LENGTH=str(5 * 1024 * 1024), **headers(partner, body))
    assert response.status_code == 413 and response.json()["error"]["code"] == "payload_too_large"


@pytest.mark.django_db
def test_a_body_just_under_the_limit_is_accepted(api, partner, ticket, settings):
    settings.HOTLINE_MAX_BODY_BYTES = 4096
    ticket["content"] = "占" * 400
    body = json.dumps(ticket, ensure_ascii=False).encode()
    assert len(body) < 4096
    assert api.post(URL, data=body, content_type="application/json", **headers(partner, body)).status_code == 201
