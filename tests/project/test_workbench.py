"""The staff workbench (home page): what waits for each role's step, warnings, today's intake, my cases' deadlines
and the intake charts, built from data made with the services; every count links to a list page that shows exactly
the counted rows; the queue's XLSX export carries the filtered rows, masked like the page."""
import datetime as dt
import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from apps.accounts.models import User
from apps.dispatch import services
from apps.dispatch.models import Source, Task

DISPATCH_TEXT = "东华门大街有流动摊贩占道经营，影响通行"


def web_as(user, lang="en"):
    web = Client()
    web.cookies[django_settings.LANGUAGE_COOKIE_NAME] = lang
    if user is not None:
        web.force_login(user)
    return web


def user(name):
    return User.objects.get(username=name)


@pytest.fixture
def dhm_point(db):
    from apps.gbcp.models import Region

    return Region.objects.get(code="110101001").boundary.buffer(-0.004).point_on_surface


@pytest.fixture
def vendor_category(db):
    from apps.gbcp.models import Organization

    return Organization.objects.get(name="东华门街道综合行政执法队").duties.order_by("code").first()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def report(insider, point, category, text=DISPATCH_TEXT, **extra):
    return services.task_intake(user=insider, source=Source.DISPATCHER, description=text, point=point, category=category, **extra).task


def tiles(response) -> dict:
    """{key: (count, url)} of every count on the workbench."""
    found = {t["key"]: (t["count"], t["url"]) for t in response.context["waiting"]}
    counts = response.context["counts"]
    found["red"] = (counts["red"], "/dispatch/?alert=red")
    found["yellow"] = (counts["yellow"], "/dispatch/?alert=yellow")
    found["today"] = (counts["today"], f"/dispatch/?day={response.context['today']}")
    return found


def listed(web, url) -> int:
    """How many rows the linked list page shows (its paginator's count)."""
    response = web.get(url)
    assert response.status_code == 200, url
    return response.context["page"].paginator.count


def assert_links_match(web, found):
    for key, (count, url) in found.items():
        assert listed(web, url) == count, f"{key}: the tile says {count}, {url} lists another number"


@pytest.mark.django_db
def test_the_dispatcher_sees_what_waits_for_dispatch_and_verification_and_each_link_lists_exactly_those(insider, dhm_point, vendor_category):
    web = web_as(insider)
    before = tiles(web.get("/"))
    new = report(insider, dhm_point, vendor_category)
    sent = report(insider, dhm_point, vendor_category, text="东华门大街北口有人占道堆放杂物")
    services.task_dispatch(user=insider, task=sent)
    squad = user("dhm_leader")
    services.task_accept(user=squad, task=sent)
    services.task_feedback(user=squad, task=sent, result="已清理", solved=True)

    response = web.get("/")
    assert response.status_code == 200
    after = tiles(response)
    assert after["to_dispatch"][0] == before["to_dispatch"][0] + 1
    assert after["to_verify"][0] == before["to_verify"][0] + 1
    assert after["today"][0] == before["today"][0] + 2
    assert "to_accept" not in after and "legal" not in after  # a dispatcher's workbench, not a squad's
    assert_links_match(web, after)
    html = web.get(after["to_dispatch"][1]).content.decode()
    assert new.number in html and sent.number not in html
    assert sent.number in web.get(after["to_verify"][1]).content.decode()


@pytest.mark.django_db
def test_the_squad_sees_its_units_tasks_to_accept_and_in_hand(insider, dhm_point, vendor_category):
    officer = user("dhm_officer1")
    web = web_as(officer)
    before = tiles(web.get("/"))
    first = report(insider, dhm_point, vendor_category)
    # Another problem at the same spot (the same one said again would be merged into the first by dedup).
    second = report(insider, dhm_point, vendor_category, text="东华门大街南口的垃圾桶满了，好几天没人清运")
    services.task_dispatch(user=insider, task=first)
    services.task_dispatch(user=insider, task=second)
    services.task_accept(user=officer, task=second)

    after = tiles(web.get("/"))
    assert after["to_accept"][0] == before["to_accept"][0] + 1
    assert after["in_hand"][0] == before["in_hand"][0] + 1
    assert "to_dispatch" not in after
    assert_links_match(web, after)
    in_hand = web.get(after["in_hand"][1])
    assert second.pk in {t.pk for t in in_hand.context["page"].object_list} or in_hand.context["page"].paginator.count > 25
    assert parse_qs(urlsplit(after["in_hand"][1]).query)["status"] == ["accepted", "in_progress"]


@pytest.mark.django_db
def test_an_outsiders_counts_exclude_the_other_district(insider, outsider, dhm_point, vendor_category):
    web = web_as(outsider)
    before = tiles(web.get("/"))
    late = report(insider, dhm_point, vendor_category)
    Task.objects.filter(pk=late.pk).update(deadline=timezone.now() - dt.timedelta(hours=1))
    after = tiles(web.get("/"))
    assert {k: v[0] for k, v in after.items()} == {k: v[0] for k, v in before.items()}
    assert late.number not in web.get("/dispatch/?alert=red").content.decode()
    assert late.number not in web.get(after["today"][1]).content.decode()
    chart = web.get("/").context["by_day"]
    assert sum(row["count"] for row in chart) == sum(row["count"] for row in web_as(outsider).get("/").context["by_day"])


@pytest.mark.django_db
def test_red_and_yellow_warnings_come_from_the_deadline_now_and_link_to_their_tasks(insider, dhm_point, vendor_category):
    web = web_as(insider)
    before = tiles(web.get("/"))
    now = timezone.now()
    late = report(insider, dhm_point, vendor_category)
    nearly = report(insider, dhm_point, vendor_category, text="东华门大街西口有人乱扔垃圾")
    Task.objects.filter(pk=late.pk).update(received_at=now - dt.timedelta(hours=10), deadline=now - dt.timedelta(hours=1), alert="")
    Task.objects.filter(pk=nearly.pk).update(received_at=now - dt.timedelta(hours=10), deadline=now + dt.timedelta(hours=1), alert="")
    after = tiles(web.get("/"))
    assert after["red"][0] == before["red"][0] + 1 and after["yellow"][0] == before["yellow"][0] + 1
    assert_links_match(web, after)
    assert late.number in web.get("/dispatch/?alert=red").content.decode() or after["red"][0] > 25


@pytest.mark.django_db
def test_the_legal_reviewer_the_leader_and_the_case_officer_see_their_cases(insider, dhm_point):
    from apps.cases import services as cases
    from apps.cases.models import CaseCause
    from apps.gbcp.models import Place

    officer1, officer2, squad_leader = user("dhm_officer1"), user("dhm_officer2"), user("dhm_leader")
    legal, leader = user("dc_legal"), user("dc_leader")
    cases.catalogue_load(user=None, causes=[{
        "code": "ZZ-WB1", "name": "测试：无照经营游商", "area": "", "category_codes": [], "legal_basis": "测试依据",
        "penalty_basis": "测试依据", "simple_allowed": True, "serious_harm": False,
        "levels": [{"level": "ordinary", "conditions": "一般", "harm": "一般", "fine_min": 200, "fine_max": 3000, "warning_allowed": False}],
    }])
    place = Place.objects.filter(region__code__startswith="110101001").order_by("id").first()
    legal_web, leader_web, officer_web = web_as(legal), web_as(leader), web_as(officer1)
    legal_before, leader_before = tiles(legal_web.get("/")), tiles(leader_web.get("/"))

    case = cases.case_open(user=officer1, source="patrol", cause=CaseCause.objects.get(code="ZZ-WB1"), place=place,
                           facts="在东华门大街占道经营，经劝阻未改正。", discretion_facts={"harm": "ordinary", "violation_date": timezone.localdate().isoformat()})
    case = cases.case_update(user=officer1, case=case, party_kind="citizen", party_name="张三", party_code="11010519491231002X")
    case = cases.case_file_approve(user=squad_leader, case=case)
    cases.case_assign_officers(user=officer1, case=case, officers=[officer2])
    cases.case_record_add(user=officer1, case=case, kind="inquiry", content="问：你是否在此经营？答：是。", interviewee="张三")
    cases.case_set_penalty(user=officer1, case=case, level="ordinary", fine="500", departure_reason="测试：按一般阶次的较低数额")
    cases.case_submit_review(user=officer1, case=case)

    legal_after = tiles(legal_web.get("/"))
    assert legal_after["legal"][0] == legal_before["legal"][0] + 1
    assert_links_match(legal_web, {"legal": legal_after["legal"]})
    assert case.number in legal_web.get(legal_after["legal"][1]).content.decode()

    mine = officer_web.get("/").context["my_cases"]
    assert case.pk in [c.pk for c in mine] and next(c for c in mine if c.pk == case.pk).next_kind == "decision"

    cases.case_legal_review(user=legal, case=case, passed=True)
    leader_after = tiles(leader_web.get("/"))
    assert leader_after["leader"][0] == leader_before["leader"][0] + 1
    assert "supervision" in leader_after
    assert_links_match(leader_web, {k: leader_after[k] for k in ("leader", "supervision")})


@pytest.mark.django_db
def test_citizens_and_merchants_keep_the_public_home_and_the_anonymous_go_to_login(citizen, merchant):
    for person in (citizen, merchant):
        response = web_as(person).get("/")
        assert response.status_code == 200 and "home_public.html" in [t.name for t in response.templates]
        assert "waiting" not in response.context
    response = web_as(None).get("/")
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.django_db
def test_the_workbench_reads_with_few_queries_and_shows_charts_without_inline_script(insider, dhm_point, vendor_category, django_assert_max_num_queries):
    for n in range(5):
        report(insider, dhm_point, vendor_category, text=f"东华门大街第{n}处占道经营")
    web = web_as(insider)
    web.get("/")  # warm the session and the caches
    with django_assert_max_num_queries(10):
        response = web.get("/")
    days = response.context["by_day"]
    assert len(days) == 30 and days[-1]["day"] == response.context["today"] and days[-1]["count"] >= 5
    assert any(row["code"] == vendor_category.code for row in response.context["by_category"])
    html = response.content.decode()
    assert 'id="wb-chart-data"' in html and "vendor/echarts/echarts.min.js" in html
    assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)", html)
    assert ('id="wb-demo-note"' in html) == django_settings.DEMO_MODE


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["dc_dispatcher", "dhm_officer1", "dhm_leader", "dc_legal", "dc_leader", "city_analyst"])
def test_the_zh_hans_workbench_shows_no_english_word(username):
    web = web_as(user(username), "zh-hans")
    for url in ("/", "/dispatch/?mine=1&day=2026-01-01"):
        html = web.get(url).content.decode()
        main = html.split("<main", 1)[1].split(">", 1)[1].split("</main>", 1)[0]
        text = re.sub(r"<script.*?</script>|<[^>]+>", " ", main, flags=re.S)
        assert not re.findall(r"\b[A-Za-z]{3,}\b", text), (url, re.findall(r"\b[A-Za-z]{3,}\b", text))


@pytest.mark.django_db
def test_the_queue_exports_the_filtered_rows_to_xlsx_masked(insider, outsider, citizen, merchant, dhm_point, vendor_category):
    task = report(insider, dhm_point, vendor_category, reporter_name="张三丰", reporter_phone="13800001111")
    web = web_as(insider)
    assert "?status=new&amp;format=xlsx" in web.get("/dispatch/?status=new&page=2").content.decode()  # the page's export link
    response = web.get("/dispatch/?status=new&format=xlsx")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == min(listed(web, "/dispatch/?status=new"), 5000)
    row = next(r for r in rows if r[0] == task.number)
    assert row[3] == "new" and isinstance(row[1], dt.datetime)
    assert row[10] == "张三丰" and row[11] == "138****1111"  # a dispatcher's clearance: the name, the phone masked
    assert all(r[3] == "new" for r in rows)

    analyst = load_workbook(io.BytesIO(web_as(user("city_analyst")).get("/dispatch/?status=new&format=xlsx").content)).active
    seen = next(r for r in analyst.iter_rows(min_row=2, values_only=True) if r[0] == task.number)
    assert seen[10] == "张**" and "13800001111" not in seen and "1111" in seen[11]

    elsewhere = load_workbook(io.BytesIO(web_as(outsider).get("/dispatch/?status=new&format=xlsx").content)).active
    assert task.number not in [r[0] for r in elsewhere.iter_rows(min_row=2, values_only=True)]
    for person in (citizen, merchant):
        assert web_as(person).get("/dispatch/?format=xlsx").status_code == 403
    anonymous = web_as(None).get("/dispatch/?format=xlsx")
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
