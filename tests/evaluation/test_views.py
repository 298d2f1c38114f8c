"""Pages in zh-hans (no English word, no raw code), the lists behind the numbers agree with them, exports from the pages."""
import re
from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook

from apps.accounts.models import Role
from apps.evaluation import services
from apps.evaluation.models import AssessmentScheme, Indicator
from apps.gbcp.models import Organization, Region
from tests.personas import user_with

pytestmark = pytest.mark.django_db
MARCH = "from=2026-03-01&to=2026-03-31"
WORD = re.compile(r"\b[A-Za-z]{3,}\b")


def main_text(html: str) -> str:
    body = html.split("<main", 1)[1].split(">", 1)[1].split("</main>", 1)[0]
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", body, flags=re.S)
    return re.sub(r"<[^>]+>", " ", body)


@pytest.fixture
def supervisor(world):
    return user_with(role=Role.SUPERVISOR, organization=Organization.objects.get(name="东城区城市管理综合行政执法局"))


@pytest.fixture
def web(client, supervisor):
    client.force_login(supervisor)
    return client


def test_pages_speak_chinese(web, world):
    services.rebuild_range(date(2026, 3, 1), date(2026, 3, 31))
    scheme = AssessmentScheme.objects.create(name="三月考核", unit_kind="street", region=Region.objects.get(code="110101"),
                                             period_start=date(2026, 3, 1), period_end=date(2026, 3, 31))
    Indicator.objects.create(scheme=scheme, figure="whistle_mean_late_minutes", weight=1, target=10, direction="lower")
    urls = [f"/evaluation/?{MARCH}&kind=street", f"/evaluation/units/{world.a.pk}/?{MARCH}", f"/evaluation/units/{world.a.pk}/list/?{MARCH}&figure=U",
            f"/evaluation/units/{world.dept.pk}/list/?{MARCH}&figure=W", f"/evaluation/units/{world.a.pk}/list/?{MARCH}&figure=V",
            "/evaluation/schemes/", f"/evaluation/schemes/{scheme.pk}/"]
    for url in urls:
        response = web.get(url)
        assert response.status_code == 200, url
        words = WORD.findall(main_text(response.content.decode()))
        assert words == [], (url, words[:20])


def test_the_unit_page_shows_the_figures_and_links_to_their_lists(web, world):
    html = web.get(f"/evaluation/units/{world.a.pk}/?{MARCH}").content.decode()
    assert "66.7 %" in html and "50.0 %" in html  # 响应率 4/6, 解决率 3/6
    assert f"/evaluation/units/{world.a.pk}/list/?{MARCH.replace('&', '&amp;')}&amp;figure=A" in html


@pytest.mark.parametrize("figure,expected", [("T", 7), ("D", 6), ("A", 4), ("not_A", 2), ("S", 3), ("not_S", 3), ("R", 3), ("satisfied", 1),
                                             ("basic", 1), ("dissatisfied", 1), ("U", 1), ("F", 4), ("not_F", 2), ("K", 1), ("V", 3), ("V_r", 2), ("V_c", 1)])
def test_every_number_has_its_list(web, api_as, supervisor, world, figure, expected):
    response = web.get(f"/evaluation/units/{world.a.pk}/list/?{MARCH}&figure={figure}")
    assert response.context["page"].paginator.count == expected
    assert api_as(supervisor).get(f"/api/evaluation/units/{world.a.pk}/tasks/?{MARCH}&figure={figure}").json()["count"] == expected


def test_summons_lists(api_as, supervisor, world):
    counts = {f: api_as(supervisor).get(f"/api/evaluation/units/{world.dept.pk}/tasks/?{MARCH}&figure={f}").json()["count"]
              for f in ("W", "W_on", "W_late", "W_miss", "W_wait")}
    assert counts == {"W": 3, "W_on": 1, "W_late": 1, "W_miss": 1, "W_wait": 0}


def test_unknown_figure_and_bad_period_answer_in_the_house_format(api_as, supervisor, world):
    bad = api_as(supervisor).get(f"/api/evaluation/units/{world.a.pk}/tasks/?figure=nope")
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_figure"
    bad = api_as(supervisor).get(f"/api/evaluation/units/{world.a.pk}/scorecard/?from=2026-03-31&to=2026-03-01")
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_period"


def test_api_scorecard_carries_numerators_and_denominators(api_as, supervisor, world):
    body = api_as(supervisor).get(f"/api/evaluation/units/{world.a.pk}/scorecard/?{MARCH}").json()
    assert body["figures"]["satisfaction_rate"] == {"value": pytest.approx(2 / 3), "numerator": 2, "denominator": 3}
    assert body["counts"]["unrated"] == 1 and body["source"] == "live"


def test_xlsx_from_the_pages(web, world):
    services.rebuild_range(date(2026, 3, 1), date(2026, 3, 31))
    response = web.get(f"/evaluation/units/{world.a.pk}/?{MARCH}&format=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[2][0] == world.a.name and rows[2][4] == 7
    listing = web.get(f"/evaluation/?{MARCH}&kind=street&format=xlsx")
    names = [row[0] for row in load_workbook(BytesIO(listing.content)).active.iter_rows(values_only=True)]
    assert world.a.name in names and world.c.name in names


def test_admin_defines_schemes_with_indicators(client, admin_user, world):
    client.force_login(admin_user)
    for url in ("/admin/evaluation/assessmentscheme/", "/admin/evaluation/assessmentscheme/add/", "/admin/evaluation/dailyrollup/",
                "/admin/evaluation/rolluprun/"):
        assert client.get(url).status_code == 200, url
    region = Region.objects.get(code="110101")
    response = client.post("/admin/evaluation/assessmentscheme/add/", {
        "name": "后台方案", "unit_kind": "street", "region": region.pk, "period_start": "2026-03-01", "period_end": "2026-03-31",
        "published": "on", "notes": "",
        "indicators-TOTAL_FORMS": "1", "indicators-INITIAL_FORMS": "0", "indicators-MIN_NUM_FORMS": "0", "indicators-MAX_NUM_FORMS": "1000",
        "indicators-0-figure": "solution_rate", "indicators-0-weight": "1", "indicators-0-target": "0.9", "indicators-0-direction": "higher",
    })
    assert response.status_code == 302, response.content[:500]
    scheme = AssessmentScheme.objects.get(name="后台方案")
    assert scheme.published_at is not None and scheme.created_by == admin_user
    assert list(scheme.indicators.values_list("figure", flat=True)) == ["solution_rate"]
