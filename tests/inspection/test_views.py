"""Staff pages and the public draw pages: insider, outsider, anonymous; nothing personal in public."""
import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from apps.inspection import services
from apps.inspection.models import Draw


def client_for(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def plan(insider):
    plan = services.plan_create(user=insider, name="页面计划", region_code="110101", place_kinds=["restaurant", "shop", "market"],
                                interval_days=14, starts_on=timezone.localdate() - dt.timedelta(days=20))
    services.plan_generate_assignments(user=insider, plan=plan, until=timezone.localdate() + dt.timedelta(days=14))
    services.assignment_sweep_overdue()
    return plan


@pytest.mark.django_db
def test_the_home_page_lists_due_and_overdue_assignments_of_the_users_area(insider, outsider, plan):
    page = client_for(insider).get("/inspection/")
    assert page.status_code == 200 and "页面计划" in page.content.decode()
    assert "页面计划" not in client_for(outsider).get("/inspection/").content.decode()
    assert client_for().get("/inspection/").status_code == 302


@pytest.mark.django_db
def test_the_plan_page_shows_coverage_on_a_map(insider, outsider, plan):
    page = client_for(insider).get(f"/inspection/plans/{plan.pk}/")
    body = page.content.decode()
    assert page.status_code == 200 and 'id="coverage-map"' in body and '"state": "overdue"' in body
    assert client_for(outsider).get(f"/inspection/plans/{plan.pk}/").status_code == 404
    assert client_for().get(f"/inspection/plans/{plan.pk}/").status_code == 302


@pytest.mark.django_db
def test_a_plan_is_created_from_the_home_page_by_an_insider_only(insider, outsider):
    form = {"name": "表单计划", "region_code": "110101", "place_kinds": ["shop"], "interval_days": 7,
            "starts_on": timezone.localdate().isoformat(), "generate_days": 14}
    made = client_for(insider).post("/inspection/plans/new/", form)
    assert made.status_code == 302 and "/inspection/plans/" in made["Location"]
    client_for(outsider).post("/inspection/plans/new/", {**form, "name": "越权计划"})
    from apps.inspection.models import PatrolPlan

    assert PatrolPlan.objects.filter(name="表单计划").exists() and not PatrolPlan.objects.filter(name="越权计划").exists()
    assert client_for().post("/inspection/plans/new/", form).status_code == 302


@pytest.mark.django_db
def test_draws_are_made_checked_and_published_from_the_staff_pages(insider, outsider):
    made = client_for(insider).post("/inspection/draws/", {"title": "页面抽查", "region_code": "110101", "place_kinds": ["restaurant", "shop"], "place_count": 2})
    assert made.status_code == 302
    draw = Draw.objects.get(title="页面抽查")
    detail = client_for(insider).get(f"/inspection/draws/{draw.pk}/").content.decode()
    assert draw.seed_hex in detail and "✔" in detail
    assert client_for(outsider).get(f"/inspection/draws/{draw.pk}/").status_code == 404
    assert client_for(outsider).post(f"/inspection/draws/{draw.pk}/publish/").status_code == 404
    assert client_for().get("/inspection/draws/").status_code == 302
    assert draw.pk not in [d.pk for d in client_for(outsider).get("/inspection/draws/").context["page"].object_list]
    client_for(insider).post(f"/inspection/draws/{draw.pk}/publish/")
    assert Draw.objects.get(pk=draw.pk).is_published


@pytest.mark.django_db
def test_published_draws_are_public_with_badge_numbers_and_no_names(insider):
    draw = Draw.objects.filter(is_published=True).first()
    listing = client_for().get("/inspection/public/draws/")
    assert listing.status_code == 200 and draw.title in listing.content.decode()
    page = client_for().get(f"/inspection/public/draws/{draw.pk}/").content.decode()
    from apps.accounts.models import User

    inspectors = User.objects.filter(pk__in={i for row in draw.result for i in row["inspectors"]})
    for inspector in inspectors:
        assert inspector.inspector_qualification.badge_number in page
        assert inspector.display_name not in page and inspector.username not in page
    for row in draw.result:
        from apps.gbcp.models import Place

        assert Place.objects.get(pk=row["place"]).name in page
    unpublished = services.draw_create(user=insider, region_code="110101", place_kinds=["restaurant", "shop"], place_count=1)
    assert client_for().get(f"/inspection/public/draws/{unpublished.pk}/").status_code == 404


@pytest.mark.django_db
def test_a_places_history_page_for_insiders_only(insider, outsider, record_with_finding, dhm_place, django_assert_max_num_queries):
    with django_assert_max_num_queries(40):
        page = client_for(insider).get(f"/inspection/places/{dhm_place.pk}/history/")
    body = page.content.decode()
    assert page.status_code == 200 and record_with_finding.findings.get().item.text in body
    assert client_for(outsider).get(f"/inspection/places/{dhm_place.pk}/history/").status_code == 404
    assert client_for().get(f"/inspection/places/{dhm_place.pk}/history/").status_code == 302


@pytest.mark.django_db
def test_the_pages_speak_chinese_by_default(insider, plan):
    body = client_for(insider).get("/inspection/").content.decode()
    assert "巡查计划" in body and "一周内应巡查" in body
    assert "双随机抽查结果公开" in client_for().get("/inspection/public/draws/").content.decode()


@pytest.mark.django_db
def test_every_staff_page_answers_403_to_citizens_and_merchants_and_sends_anonymous_to_login(insider, citizen, merchant, plan, dhm_place):
    draw = services.draw_create(user=insider, title="守卫抽查", region_code="110101", place_kinds=["restaurant", "shop"], place_count=1)
    staff_pages = [("get", "/inspection/"), ("post", "/inspection/plans/new/"), ("get", f"/inspection/plans/{plan.pk}/"),
                   ("get", "/inspection/draws/"), ("get", f"/inspection/draws/{draw.pk}/"), ("post", f"/inspection/draws/{draw.pk}/publish/"),
                   ("get", f"/inspection/places/{dhm_place.pk}/history/")]
    for method, url in staff_pages:
        for user in (citizen, merchant):
            assert getattr(client_for(user), method)(url).status_code == 403, (url, user)
        anonymous = getattr(client_for(), method)(url)
        assert anonymous.status_code == 302 and "/login" in anonymous["Location"], url
    assert not Draw.objects.get(pk=draw.pk).is_published
    for user in (citizen, merchant, None):
        assert client_for(user).get("/inspection/public/draws/").status_code == 200  # the public pages stay public
