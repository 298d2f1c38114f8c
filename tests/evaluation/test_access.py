"""Who sees scorecards, lists and rankings: the five callers for pages and API, squad leaders, drafts and published schemes."""
from datetime import date

import pytest

from apps.accounts.models import Role
from apps.evaluation.models import AssessmentScheme, Indicator
from apps.gbcp.models import Organization, Region
from tests.personas import five_callers, user_with

pytestmark = pytest.mark.django_db
MARCH = "from=2026-03-01&to=2026-03-31"


@pytest.fixture
def dc_bureau(db):
    return Organization.objects.get(name="东城区城市管理综合行政执法局")


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.LEADER, Role.ANALYST])
def test_five_callers_on_a_unit_page(client, world, dc_bureau, role):
    people = five_callers(role=role, organization=dc_bureau)
    expected = {"insider": 200, "outsider": 404, "citizen": 403, "merchant": 403, "anonymous": 302}
    for name, user in people.items():
        client.logout()
        if user is not None:
            client.force_login(user)
        for url in (f"/evaluation/units/{world.a.pk}/?{MARCH}", f"/evaluation/units/{world.a.pk}/list/?{MARCH}&figure=A"):
            assert client.get(url).status_code == expected[name], (name, url)


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.ANALYST])
def test_five_callers_on_the_api(api_as, world, dc_bureau, role):
    people = five_callers(role=role, organization=dc_bureau)
    expected = {"insider": 200, "outsider": 404, "citizen": 403, "merchant": 403, "anonymous": 401}
    for name, user in people.items():
        client = api_as(user)
        for url in (f"/api/evaluation/units/{world.a.pk}/scorecard/?{MARCH}", f"/api/evaluation/units/{world.a.pk}/tasks/?{MARCH}&figure=S"):
            response = client.get(url)
            assert response.status_code == expected[name], (name, url, response.content[:200])
            if response.status_code == 404:
                assert response.json()["error"]["code"] == "not_found"


def test_the_unit_list_holds_only_the_jurisdiction(api_as, world, dc_bureau):
    people = five_callers(role=Role.SUPERVISOR, organization=dc_bureau)
    inside = api_as(people.insider).get("/api/evaluation/units/?kind=street&" + MARCH).json()
    codes = {row["unit"]["region_code"][:6] for row in inside["results"]}
    assert codes == {"110101"}
    outside = api_as(people.outsider).get("/api/evaluation/units/?kind=street&" + MARCH).json()
    assert world.a.pk not in {row["unit"]["id"] for row in outside["results"]}


def test_a_squad_leader_sees_his_squad_only(client, world):
    leader = user_with(role=Role.SQUAD_LEADER, organization=world.a)
    client.force_login(leader)
    assert client.get(f"/evaluation/units/{world.a.pk}/?{MARCH}").status_code == 200
    assert client.get(f"/evaluation/units/{world.b.pk}/?{MARCH}").status_code == 404
    assert client.get(f"/evaluation/units/{world.bureau.pk}/?{MARCH}").status_code == 404


def test_staff_who_judge_nobody_are_refused(client, world):
    dispatcher = user_with(role=Role.DISPATCHER, organization=world.bureau)
    client.force_login(dispatcher)
    assert client.get("/evaluation/")["Location"] == "/evaluation/schemes/"
    assert client.get(f"/evaluation/units/{world.a.pk}/").status_code == 403


@pytest.fixture
def draft(world):
    scheme = AssessmentScheme.objects.create(name="东城三月考核", unit_kind="street", region=Region.objects.get(code="110101"),
                                             period_start=date(2026, 3, 1), period_end=date(2026, 3, 31))
    Indicator.objects.create(scheme=scheme, figure="response_rate", weight=1, target="0.9")
    return scheme


def test_drafts_for_judges_of_the_region_published_for_all_staff(client, api_as, world, dc_bureau, draft):
    analyst = five_callers(role=Role.ANALYST, organization=dc_bureau)
    officer = user_with(role=Role.OFFICER, organization=world.a)
    url = f"/evaluation/schemes/{draft.pk}/"
    seen = {}
    for name, user in [*analyst.items(), ("officer", officer)]:
        client.logout()
        if user is not None:
            client.force_login(user)
        seen[name] = client.get(url).status_code
    assert seen == {"insider": 200, "outsider": 404, "citizen": 403, "merchant": 403, "anonymous": 302, "officer": 404}
    draft.published = True
    draft.save()
    client.force_login(officer)
    assert client.get(url).status_code == 200
    assert api_as(officer).get(f"/api/evaluation/schemes/{draft.pk}/ranking/").status_code == 200
    assert api_as(analyst.citizen).get(f"/api/evaluation/schemes/{draft.pk}/ranking/").status_code == 404


def test_only_publishers_publish(client, world, dc_bureau, draft):
    analyst = user_with(role=Role.ANALYST, organization=dc_bureau)
    client.force_login(analyst)
    client.post(f"/evaluation/schemes/{draft.pk}/publish/", {"published": "1"})
    draft.refresh_from_db()
    assert not draft.published
    supervisor = user_with(role=Role.SUPERVISOR, organization=dc_bureau)
    client.force_login(supervisor)
    client.post(f"/evaluation/schemes/{draft.pk}/publish/", {"published": "1"})
    draft.refresh_from_db()
    assert draft.published
