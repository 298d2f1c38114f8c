"""Who sees the analysis: analysts, leaders, supervisors and dispatchers their jurisdiction; officers, citizens,
merchants and anonymous callers never; another district's region answers like a region that does not exist."""
import pytest

from apps.accounts.models import Role
from tests.analytics.conftest import at
from tests.personas import five_callers, user_with

pytestmark = pytest.mark.django_db
PERIOD = "from=2025-03-01&to=2025-03-31"
ENDPOINTS = ("peak-times", "hot-spots", "growth", "forecast")


@pytest.fixture
def history(write_history, dc_grids, categories):
    return write_history([(at(2025, 3, d, 9 + d % 8), dc_grids[d % len(dc_grids)], categories[d % 2], "hotline") for d in range(1, 29)])


@pytest.mark.parametrize("role", [Role.ANALYST, Role.LEADER, Role.SUPERVISOR, Role.DISPATCHER])
def test_five_callers_on_the_api(api_as, dc_bureau, history, role):
    people = five_callers(role=role, organization=dc_bureau)
    expected = {"insider": 200, "outsider": 400, "citizen": 403, "merchant": 403, "anonymous": 401}
    for name, user in people.items():
        client = api_as(user)
        for figure in ENDPOINTS:
            response = client.get(f"/api/analytics/{figure}/?{PERIOD}&region=110101")
            assert response.status_code == expected[name], (name, figure, response.content[:200])
            if name == "outsider":  # not yours answers exactly like not there
                unknown = client.get(f"/api/analytics/{figure}/?{PERIOD}&region=110199")
                assert unknown.status_code == 400 and unknown.json() == response.json()


def test_officers_never_see_it(api_as, client, dc_bureau, history):
    officer = user_with(role=Role.OFFICER, organization=dc_bureau)
    for figure in ENDPOINTS:
        assert api_as(officer).get(f"/api/analytics/{figure}/?{PERIOD}").status_code == 403
    client.force_login(officer)
    assert client.get(f"/analytics/?{PERIOD}").status_code == 403
    assert client.get(f"/analytics/export/growth.xlsx?{PERIOD}").status_code == 403


def test_five_callers_on_the_page(client, dc_bureau, history):
    people = five_callers(role=Role.ANALYST, organization=dc_bureau)
    expected = {"insider": 200, "outsider": 200, "citizen": 403, "merchant": 403, "anonymous": 302}
    for name, user in people.items():
        client.logout()
        if user is not None:
            client.force_login(user)
        response = client.get(f"/analytics/?{PERIOD}")
        assert response.status_code == expected[name], name
        if name == "insider":
            assert response.context["peaks"]["total"] == history
        if name == "outsider":  # his own district: none of 东城's reports
            assert response.context["peaks"]["total"] == 0


def test_the_api_counts_only_the_jurisdiction(api_as, dc_bureau, history):
    people = five_callers(role=Role.SUPERVISOR, organization=dc_bureau)
    assert api_as(people.insider).get(f"/api/analytics/peak-times/?{PERIOD}").json()["total"] == history
    assert api_as(people.outsider).get(f"/api/analytics/peak-times/?{PERIOD}").json()["total"] == 0
    spots = api_as(people.outsider).get(f"/api/analytics/hot-spots/?{PERIOD}").json()
    assert not any(g["code"].startswith("110101") for g in spots["grids"])


def test_another_districts_series_is_unknown(api_as, client, dc_bureau, history):
    people = five_callers(role=Role.ANALYST, organization=dc_bureau)
    theirs = api_as(people.outsider).get(f"/api/analytics/forecast/?{PERIOD}&series=district:110101")
    missing = api_as(people.outsider).get(f"/api/analytics/forecast/?{PERIOD}&series=district:110199")
    assert theirs.status_code == 400 and theirs.json() == missing.json()
    client.force_login(people.outsider)
    page = client.get(f"/analytics/?{PERIOD}&series=district:110101")
    assert page.status_code == 200 and page.context["series"] == "total"


def test_the_list_figures_take_a_fixed_number_of_queries(api_as, dc_bureau, history, django_assert_max_num_queries):
    """No N+1: the hot-spot and growth lists cost the same few queries however many grids or categories they hold."""
    client = api_as(user_with(role=Role.ANALYST, organization=dc_bureau))
    with django_assert_max_num_queries(12):
        assert len(client.get(f"/api/analytics/hot-spots/?{PERIOD}").json()["grids"]) > 1
    with django_assert_max_num_queries(12):
        assert client.get(f"/api/analytics/growth/?{PERIOD}").json()["results"]
