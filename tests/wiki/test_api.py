"""The wiki API with the five callers: read, edit, propose, moderate; not yours answers like not there."""
import pytest

from apps.wiki import services
from apps.wiki.models import Proposal

pytestmark = pytest.mark.django_db


def _statuses(api_as, callers, method, url, data=None):
    out = {}
    for name, user in callers.items():
        client = api_as(user)
        response = client.get(url) if method == "get" else client.post(url, data or {}, format="json")
        out[name] = response.status_code
    return out


def test_read_public_and_staff_pages(api_as, callers, make_page):
    public, staff = make_page(body="公开"), make_page(body="内部", visibility="staff")
    assert set(_statuses(api_as, callers, "get", f"/api/wiki/pages/{public.slug}/").values()) == {200}
    assert _statuses(api_as, callers, "get", f"/api/wiki/pages/{staff.slug}/") == {
        "insider": 200, "outsider": 200, "citizen": 404, "merchant": 404, "anonymous": 404}
    assert api_as(None).get("/api/wiki/pages/no-such-page/").status_code == 404
    assert _statuses(api_as, callers, "get", f"/api/wiki/pages/{staff.slug}/revisions/")["citizen"] == 404
    body = api_as(callers.insider).get(f"/api/wiki/pages/{public.slug}/").json()
    assert body["actions"] == {"edit": True, "propose": True} and body["html"] == "<p>公开</p>"
    assert api_as(callers.outsider).get(f"/api/wiki/pages/{public.slug}/").json()["actions"]["edit"] is False


def test_list_hides_staff_pages_from_the_public_without_n_plus_one(api_as, callers, make_page, django_assert_max_num_queries):
    staff = make_page(visibility="staff")
    for _ in range(5):
        make_page()
    slugs = lambda user: {p["slug"] for p in _all(api_as(user), "/api/wiki/pages/")}
    assert staff.slug in slugs(callers.insider) and staff.slug not in slugs(callers.citizen) and staff.slug not in slugs(None)
    with django_assert_max_num_queries(6):
        assert api_as(None).get("/api/wiki/pages/").status_code == 200


def _all(client, url):
    rows = []
    while url:
        body = client.get(url).json()
        rows += body["results"]
        url = body.get("next")
    return rows


def test_edit(api_as, callers, make_page):
    page = make_page(body="原文")
    data = {"title": "标题", "body": "新文", "reason": "更正", "base": 1}
    assert _statuses(api_as, callers, "post", f"/api/wiki/pages/{page.slug}/edit/", data) == {
        "insider": 201, "outsider": 403, "citizen": 403, "merchant": 403, "anonymous": 401}
    staff = make_page(visibility="staff")
    assert _statuses(api_as, callers, "post", f"/api/wiki/pages/{staff.slug}/edit/", {**data, "base": None}) == {
        "insider": 201, "outsider": 403, "citizen": 404, "merchant": 404, "anonymous": 401}
    conflict = api_as(callers.insider).post(f"/api/wiki/pages/{page.slug}/edit/", data, format="json")
    assert conflict.status_code == 409 and conflict.json()["error"]["code"] == "edit_conflict"


def test_propose_and_moderate(api_as, callers, make_page):
    page = make_page(body="原文")
    statuses = {}
    for name, user in callers.items():
        r = api_as(user).post(f"/api/wiki/pages/{page.slug}/proposals/", {"title": "t", "body": f"{name} 的文字", "reason": "r"},
                              format="json")
        statuses[name] = r.status_code
    assert statuses == {"insider": 201, "outsider": 201, "citizen": 201, "merchant": 201, "anonymous": 401}
    proposal = Proposal.objects.get(page=page, proposer=callers.citizen)
    url = f"/api/wiki/proposals/{proposal.pk}/moderate/"
    assert _statuses(api_as, callers, "post", url, {"decision": "refuse", "reason": "r"}) == {
        "insider": 200, "outsider": 404, "citizen": 403, "merchant": 404, "anonymous": 401}
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.REFUSED
    assert api_as(callers.citizen).get(f"/api/wiki/proposals/{proposal.pk}/").json()["status"] == "refused"
    assert api_as(callers.merchant).get(f"/api/wiki/proposals/{proposal.pk}/").status_code == 404
    mine = api_as(callers.citizen).get("/api/wiki/proposals/").json()["results"]
    assert [p["id"] for p in mine] == [proposal.pk]
    queue = {p["id"] for p in api_as(callers.insider).get("/api/wiki/proposals/?status=submitted").json()["results"]}
    assert queue == set(Proposal.objects.filter(page=page, status="submitted").values_list("pk", flat=True))
    bad = api_as(callers.insider).post(f"/api/wiki/proposals/{proposal.pk}/moderate/", {"decision": "maybe", "reason": "r"},
                                       format="json")
    assert bad.status_code == 400


def test_a_proposal_of_a_staff_page_is_not_there_for_the_public(api_as, callers, make_page):
    staff = make_page(visibility="staff")
    proposal = services.proposal_submit(user=callers.outsider, page=staff, title="t", body="b", reason="r")
    assert api_as(callers.citizen).get(f"/api/wiki/proposals/{proposal.pk}/").status_code == 404
    assert api_as(callers.insider).get(f"/api/wiki/proposals/{proposal.pk}/").status_code == 200
