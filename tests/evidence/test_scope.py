"""Every evidence id and subject a client names resolves in the caller's jurisdiction: for each of the five callers,
"not yours" answers exactly like "not there" (404 in URLs and for the subject of an upload; 401 for the anonymous)."""
import pytest
from django.test import Client

from apps.accounts.models import Role, User
from apps.evidence import services
from apps.evidence.models import Evidence
from tests.personas import five_callers

pytestmark = pytest.mark.django_db

MISSING = 987654321
READS = ["", "file/", "proof/", "bundle/"]


@pytest.fixture
def callers():
    """Dispatchers of 东城区 (the insider) and of another district, a citizen, a merchant, the anonymous caller."""
    district_office = User.objects.get(username="dc_dispatcher").memberships.get(role=Role.DISPATCHER).organization
    return five_callers(role=Role.DISPATCHER, organization=district_office)


@pytest.fixture
def recorded(callers, photo, dc_task, media_root):
    return services.evidence_record(user=callers.insider, file=photo(), subject=dc_task)


def answer(response):
    """What a caller learns from a response: its status and, for JSON, its body."""
    is_json = response.get("Content-Type", "").startswith("application/json")
    return response.status_code, response.json() if is_json else None


@pytest.mark.parametrize("suffix", READS)
def test_an_evidence_of_another_jurisdiction_reads_like_one_that_does_not_exist(api_as, callers, recorded, suffix):
    for name, user in callers.items():
        client = api_as(user)
        mine, missing = client.get(f"/api/evidence/{recorded.pk}/{suffix}"), client.get(f"/api/evidence/{MISSING}/{suffix}")
        expected = {"insider": 200, "anonymous": 401}.get(name, 404)
        assert mine.status_code == expected, name
        if name != "insider":
            assert answer(mine) == answer(missing), name


def test_the_evidence_list_shows_a_record_only_in_its_jurisdiction(api_as, callers, recorded):
    for name, user in callers.items():
        response = api_as(user).get("/api/evidence/", {"subject_type": "dispatch.task"})
        if name == "anonymous":
            assert response.status_code == 401
            continue
        listed = [e["id"] for e in response.json()["results"]]
        assert (recorded.pk in listed) is (name == "insider"), name


def test_a_subject_of_another_jurisdiction_is_refused_like_one_that_does_not_exist(api_as, callers, photo, dc_task, media_root):
    for name, user in callers.items():
        client = api_as(user)
        before = Evidence.objects.count()
        mine = client.post("/api/evidence/", {"file": photo(), "subject_type": "dispatch.task", "subject_id": dc_task.pk}, format="multipart")
        missing = client.post("/api/evidence/", {"file": photo(), "subject_type": "dispatch.task", "subject_id": MISSING}, format="multipart")
        if name == "insider":
            assert mine.status_code == 201, mine.content
            continue
        assert mine.status_code == {"anonymous": 401}.get(name, 404), name
        assert answer(mine) == answer(missing), name
        assert Evidence.objects.count() == before


def login_target(response, pk):
    """Where a redirect sends the caller, with the record's id blanked out (the login page names the page asked for)."""
    return (response.get("Location") or "").replace(f"/{pk}/", "/<id>/")


@pytest.mark.parametrize("suffix", ["", "file/", "bundle/"])
def test_the_evidence_pages_answer_another_jurisdiction_like_a_missing_record(callers, recorded, suffix):
    for name, user in callers.items():
        web = Client()
        if user is not None:
            web.force_login(user)
        mine, missing = web.get(f"/evidence/{recorded.pk}/{suffix}"), web.get(f"/evidence/{MISSING}/{suffix}")
        # Staff see their own; another district's staff get 404; citizens and merchants get the portal's 403 for
        # every staff page; the anonymous caller goes to the login page: the same whether the record exists or not.
        expected = {"insider": 200, "outsider": 404, "anonymous": 302}.get(name, 403)
        assert mine.status_code == expected, name
        if name != "insider":
            assert (missing.status_code, login_target(missing, MISSING)) == (mine.status_code, login_target(mine, recorded.pk)), name
