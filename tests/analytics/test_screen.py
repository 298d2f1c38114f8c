"""The big screen (大屏): who sees it, what it counts (the viewer's jurisdiction only) and what its one JSON costs."""
import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from apps.accounts.models import Role
from apps.analytics import screen
from apps.devices.models import DeviceStatus
from apps.dispatch.models import Task
from tests.personas import five_callers, user_with

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def today_history(write_history, dc_grids, categories):
    """Three reports today in 东城 (one before now's hour), two on the same weekday a week earlier."""
    now = timezone.localtime()
    start = now.replace(hour=0, minute=5, second=0, microsecond=0)
    week = start - dt.timedelta(weeks=1)
    items = [(start, dc_grids[0], categories[0], "hotline"), (start, dc_grids[1], categories[0], "hotline"),
             (start, dc_grids[0], categories[1], "patrol"), (week, dc_grids[0], categories[0], "hotline"),
             (week + dt.timedelta(hours=1), dc_grids[1], categories[1], "hotline")]
    return write_history(items)


def _by_hand(prefix):
    """The figures recomputed in Python from the task rows (local time), independently of the screen's SQL."""
    today = timezone.localdate()
    rows = [(timezone.localtime(t.received_at), t.source) for t in Task.objects.filter(region_code__startswith=prefix).exclude(status="merged")]
    todays = [(at, src) for at, src in rows if at.date() == today]
    earlier = {today - dt.timedelta(weeks=w) for w in range(1, 5)}
    hours, average, sources = [0] * 24, [0] * 24, {}
    for at, src in todays:
        hours[at.hour] += 1
        sources[src] = sources.get(src, 0) + 1
    for at, _src in rows:
        if at.date() in earlier:
            average[at.hour] += 1
    return {"intake": len(todays), "today": hours, "average": [round(n / 4, 2) for n in average], "sources": sources}


def test_five_callers_on_the_api(api_as, dc_bureau, today_history):
    people = five_callers(role=Role.LEADER, organization=dc_bureau)
    mine = set(Task.objects.filter(region_code__startswith="110101").values_list("id", flat=True))
    expected = {"insider": 200, "outsider": 200, "citizen": 403, "merchant": 403, "anonymous": 401}
    for name, user in people.items():
        response = api_as(user).get("/api/analytics/screen/")
        assert response.status_code == expected[name], (name, response.content[:200])
        if name == "insider":
            body, expected_figures = response.json(), _by_hand("110101")
            assert body["counts"]["intake"] == expected_figures["intake"] >= 3
            assert body["by_hour"]["today"] == expected_figures["today"]
            assert body["by_hour"]["weekday_average"] == expected_figures["average"]
            assert {s["source"]: s["count"] for s in body["sources"]} == expected_figures["sources"]
        if name == "outsider":  # another district's leader sees none of 东城's reports
            assert not any(t["id"] in mine for t in response.json()["tasks"])


@pytest.mark.parametrize("role", [Role.ANALYST, Role.DISPATCHER, Role.SUPERVISOR, Role.ADMINISTRATOR])
def test_the_roles_that_see_it(api_as, dc_bureau, role):
    assert api_as(user_with(role=role, organization=dc_bureau)).get("/api/analytics/screen/").status_code == 200


def test_five_callers_on_the_page(client, dc_bureau):
    people = five_callers(role=Role.DISPATCHER, organization=dc_bureau)
    expected = {"insider": 200, "outsider": 200, "citizen": 403, "merchant": 403, "anonymous": 302}
    for name, user in people.items():
        client.logout()
        if user is not None:
            client.force_login(user)
        response = client.get("/analytics/screen/")
        assert response.status_code == expected[name], name
        if name == "insider":
            html = response.content.decode()
            assert "/api/analytics/screen/" in html and "/ws/map/" in html and "<script>" not in html.replace('<script id="scr-labels" type="application/json">', "")


def test_officers_never_see_it(api_as, client, dc_bureau):
    officer = user_with(role=Role.OFFICER, organization=dc_bureau)
    assert api_as(officer).get("/api/analytics/screen/").status_code == 403
    client.force_login(officer)
    assert client.get("/analytics/screen/").status_code == 403


def test_counts_open_overdue_and_closed(dc_bureau, today_history):
    leader = user_with(role=Role.LEADER, organization=dc_bureau)
    now = timezone.now()
    Task.objects.filter(region_code__startswith="110101").exclude(status="merged").update(status="closed", closed_at=now - dt.timedelta(days=2))
    ids = list(Task.objects.filter(region_code__startswith="110101", external_ref__startswith="t").order_by("id").values_list("id", flat=True))
    Task.objects.filter(id__in=ids).update(status="new", deadline=None, closed_at=None)
    Task.objects.filter(id=ids[0]).update(deadline=now - dt.timedelta(hours=1))
    Task.objects.filter(id=ids[1]).update(status="closed", closed_at=now - dt.timedelta(minutes=1))
    data = screen.compute(user=leader, now=now)
    assert data["counts"]["open"] == len(ids) - 1
    assert data["counts"]["overdue"] == 1
    assert data["counts"]["closed"] == 1
    fresh = DeviceStatus.objects.filter(device__region__code__startswith="110101", device__is_active=True, point__isnull=False,
                                        device__kind__in=screen.UNIT_KINDS, position_at__gte=now - screen.UNIT_FRESH)
    assert data["counts"]["units_on_duty"] == fresh.count()


def test_one_bounded_query_count_then_cached(api_as, dc_bureau, today_history, django_assert_max_num_queries):
    client = api_as(user_with(role=Role.LEADER, organization=dc_bureau))
    with django_assert_max_num_queries(16):
        first = client.get("/api/analytics/screen/").json()
    assert len(first["tasks"]) >= 1
    with django_assert_max_num_queries(6):  # the figures come from the cache: only the caller's access is read
        assert client.get("/api/analytics/screen/").json()["counts"] == first["counts"]


def test_the_incident_panel_reads_emergency(dc_bureau):
    """No incident is active in a fresh city: the panel is an empty list (None only when apps.emergency is absent)."""
    assert screen.active_incidents(user=user_with(role=Role.LEADER, organization=dc_bureau)) == []
