"""Credit pages with the five callers: staff grades, a business's page, the objection queue, a place's risk, the merchant's own credit."""
import json

import pytest
from django.test import Client

from apps.credit import services
from apps.credit.models import CreditRecord, Objection
from tests.personas import five_callers


def client_for(user=None, language="zh-hans"):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def callers(dongcheng):
    return five_callers(role="legal_reviewer", organization=dongcheng)


@pytest.fixture
def graded(business, restaurant):
    record = services.record_inspection_finding(entity=business, source_ref="test.Finding:page", reason="占道经营", place=restaurant)
    services.recompute_grade(entity=business)
    return record


def _statuses(url, callers):
    return {name: client_for(user).get(url).status_code for name, user in callers.items()}


@pytest.mark.django_db
def test_staff_pages_are_for_the_insider_and_not_found_or_refused_for_the_rest(callers, business, restaurant, graded):
    for url in (f"/credit/entities/{business.pk}/", f"/credit/places/{restaurant.pk}/"):
        assert _statuses(url, callers) == {"insider": 200, "outsider": 404, "citizen": 403, "merchant": 403, "anonymous": 302}, url
    for url in ("/credit/", "/credit/objections/"):
        assert _statuses(url, callers) == {"insider": 200, "outsider": 200, "citizen": 403, "merchant": 403, "anonymous": 302}, url
    assert business.name in client_for(callers.insider).get("/credit/").content.decode()
    assert business.name not in client_for(callers.outsider).get("/credit/").content.decode()


@pytest.mark.django_db
def test_the_entity_page_shows_grade_contributions_history_and_risk_in_chinese(callers, business, graded):
    page = client_for(callers.insider).get(f"/credit/entities/{business.pk}/").content.decode()
    assert "77" in page and "占道经营" in page and "巡查发现问题" in page and "信用修复" in page and "固有风险" in page
    assert english_words(page) == set()


def english_words(html) -> set:
    """Words of Latin letters in the visible text (tags, scripts and styles stripped; grade letters and codes allowed)."""
    import re

    text = re.sub(r"<(script|style|header)[^>]*>.*?</\1>", " ", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    return {w for w in re.findall(r"[A-Za-z]{2,}", text) if w not in {"MA"}}


@pytest.mark.django_db
def test_the_merchant_sees_its_own_credit_and_objects_from_the_page(callers, own_merchant, business, graded):
    page = client_for(own_merchant).get("/credit/mine/")
    body = page.content.decode()
    assert page.status_code == 200 and business.name in body and "-3" in body and "异议" in body
    assert english_words(body) == set()
    for name, user in callers.items():
        expected = {"anonymous": 302, "merchant": 200}.get(name, 404)  # the persona merchant sees its own business
        assert client_for(user).get("/credit/mine/").status_code == expected, name
    assert business.name not in client_for(callers.merchant).get("/credit/mine/").content.decode()
    url = f"/credit/mine/records/{graded.pk}/objection/"
    assert client_for(callers.merchant).post(url, {"text": "不是我们"}).status_code == 404
    assert client_for(own_merchant).post(url, {"text": "当日未营业"}).status_code == 302
    assert Objection.objects.get(record=graded).text == "当日未营业"
    assert "我的信用" in client_for(own_merchant).get("/").content.decode()


@pytest.mark.django_db
def test_a_legal_reviewer_decides_from_the_queue_and_an_outsider_cannot(callers, own_merchant, graded):
    objection = services.objection_submit(user=own_merchant, record=graded, text="不服")
    queue = client_for(callers.insider).get("/credit/objections/").content.decode()
    assert "不服" in queue and f"/credit/objections/{objection.pk}/decide/" in queue
    url = f"/credit/objections/{objection.pk}/decide/"
    assert client_for(callers.outsider).post(url, {"decision": "uphold", "reason": "x"}).status_code == 404
    assert client_for(callers.merchant).post(url, {"decision": "uphold", "reason": "x"}).status_code == 403
    assert client_for(callers.insider).post(url, {"decision": "uphold", "reason": "核实"}).status_code == 302
    assert CreditRecord.objects.get(pk=graded.pk).status == "withdrawn"


@pytest.mark.django_db
def test_lists_do_not_grow_queries(callers, business, graded, django_assert_max_num_queries):
    client = client_for(callers.insider)
    client.get("/credit/")
    with django_assert_max_num_queries(20):
        assert client.get("/credit/").status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(f"/credit/entities/{business.pk}/").status_code == 200


@pytest.mark.django_db
def test_the_admin_lists_every_credit_model_and_saves_a_rule_set_as_a_new_version(admin_user, graded):
    from apps.credit.models import GradeRuleSet

    client = client_for(admin_user, language="en")
    for name in ("graderuleset", "creditrecord", "entitygrade", "objection", "placerisk"):
        assert client.get(f"/admin/credit/{name}/").status_code == 200, name
    active = services.ruleset_current()
    form = client.get(f"/admin/credit/graderuleset/{active.pk}/change/")
    assert form.status_code == 200
    data = {f.name: form.context["adminform"].form.initial.get(f.name) for f in GradeRuleSet._meta.fields if f.editable}
    data = {k: ("" if v is None else (json.dumps(v) if isinstance(v, (dict, list)) else v)) for k, v in data.items()}
    data["a_min"] = 92
    for key in ("id", "version", "is_active", "created_at", "activated_at"):
        data.pop(key, None)
    saved = client.post(f"/admin/credit/graderuleset/{active.pk}/change/", data)
    assert saved.status_code == 302, saved.content.decode()[:2000]
    active.refresh_from_db()
    newest = GradeRuleSet.objects.order_by("-version").first()
    assert active.a_min == 90 and active.is_active and newest.a_min == 92 and not newest.is_active and newest.version == active.version + 1
