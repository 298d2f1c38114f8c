"""Web pages (visitors, citizens, staff), the template tags other apps' pages use, and the demo's pages."""
import pytest
from django.template import Context, Template
from django.test import Client

from apps.wiki import services
from apps.wiki.models import Page, Proposal

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_pages_by_caller(callers, make_page):
    public, staff = make_page(title="公开页", body="**公开**正文"), make_page(title="内部页", visibility="staff")
    for name, user in callers.items():
        c = _client(user)
        index = c.get("/wiki/").content.decode()
        assert "公开页" in index and (("内部页" in index) == (name in ("insider", "outsider"))), name
        assert c.get(f"/wiki/p/{public.slug}/").status_code == 200
        assert c.get(f"/wiki/p/{staff.slug}/").status_code == (200 if name in ("insider", "outsider") else 404), name
        assert c.get(f"/wiki/p/{public.slug}/history/").status_code == 200
    assert "<strong>公开</strong>" in Client().get(f"/wiki/p/{public.slug}/").content.decode()


def test_edit_page_by_caller(callers, make_page):
    page = make_page(body="原文")
    expected = {"insider": 200, "outsider": 403, "citizen": 403, "merchant": 403, "anonymous": 302}
    assert {n: _client(u).get(f"/wiki/p/{page.slug}/edit/").status_code for n, u in callers.items()} == expected
    r = _client(callers.insider).post(f"/wiki/p/{page.slug}/edit/", {"title": "新", "body": "新文", "reason": "改", "base": "1"})
    assert r.status_code == 302
    page.refresh_from_db()
    assert page.current.number == 2 and page.current.author == callers.insider


def test_propose_and_moderate_pages(callers, make_page):
    page = make_page(body="原文")
    assert Client().get(f"/wiki/p/{page.slug}/propose/").status_code == 302
    r = _client(callers.citizen).post(f"/wiki/p/{page.slug}/propose/", {"title": page.title, "body": "建议", "reason": "补充"})
    assert r.status_code == 302
    proposal = Proposal.objects.get(page=page)
    assert _client(callers.outsider).get(f"/wiki/proposals/{proposal.pk}/").status_code == 404
    assert f"/wiki/proposals/{proposal.pk}/" in _client(callers.insider).get("/wiki/proposals/").content.decode()
    detail = _client(callers.insider).get(f"/wiki/proposals/{proposal.pk}/").content.decode()
    assert 'value="accept"' in detail
    assert 'value="accept"' not in _client(callers.citizen).get(f"/wiki/proposals/{proposal.pk}/").content.decode()
    assert _client(callers.outsider).post(f"/wiki/proposals/{proposal.pk}/moderate/", {"decision": "accept", "reason": "r"}).status_code == 404
    _client(callers.insider).post(f"/wiki/proposals/{proposal.pk}/moderate/", {"decision": "accept", "reason": "好"})
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.ACCEPTED


def test_moderation_queue_lists_only_the_moderators_pages(callers, make_page):
    mine = services.proposal_submit(user=callers.citizen, page=make_page(), title="t", body="东城页建议", reason="r")
    other = services.proposal_submit(user=callers.citizen, page=make_page(region_code="110108"), title="t", body="海淀页建议", reason="r")
    html = _client(callers.insider).get("/wiki/proposals/").content.decode()
    assert f"/wiki/proposals/{mine.pk}/" in html and f"/wiki/proposals/{other.pk}/" not in html


def test_checklist_standards_cost_one_query_for_a_whole_checklist(make_page, django_assert_max_num_queries):
    item_model = Page.checklist_items.field.related_model
    checklist = item_model.objects.values_list("checklist_id", flat=True).order_by("checklist_id").first()
    items = list(item_model.objects.filter(checklist_id=checklist).order_by("order", "id"))
    page = make_page(title="标准页")
    services.page_links_set(user=None, page=page, checklist_items=items[:2])
    template = Template("{% load wiki %}{% for i in items %}<li>{% wiki_standard i %}</li>{% endfor %}")
    with django_assert_max_num_queries(2):
        out = template.render(Context({"items": items, "user": None}))
    assert out.count("标准页") == 2 and f"/wiki/p/{page.slug}/" in out


def test_case_cause_shows_its_explanation_and_hides_staff_pages_from_the_public(make_page, callers):
    cause = Page.causes.field.related_model.objects.get(code="01-001")
    public, staff = make_page(title="店外经营解读X"), make_page(title="内部解读X", visibility="staff")
    services.page_links_set(user=None, page=public, causes=[cause])
    services.page_links_set(user=None, page=staff, causes=[cause])
    template = Template("{% load wiki %}{% wiki_explanation cause %}")
    staff_out = template.render(Context({"cause": cause, "user": callers.insider}))
    public_out = template.render(Context({"cause": cause, "user": callers.citizen}))
    assert "内部解读X" in staff_out and "店外经营解读X" in staff_out
    assert "店外经营解读X" in public_out and "内部解读X" not in public_out


def test_demo_pages_are_linked():
    page = Page.objects.get(slug="anyou-dianwai-jingying")
    assert page.causes.filter(code="01-001").exists() and page.checklist_items.filter(cause_code="01-001").exists()
    assert Page.objects.filter(visibility="staff").exists() and Page.objects.count() >= 10
    faq = Page.objects.get(slug="changjian-wenti-fanying")
    assert faq.current.number == 2 and "商户" in faq.current.body
