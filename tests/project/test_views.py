import pytest
from django.test import Client


@pytest.fixture
def web():
    return Client()


@pytest.mark.django_db
def test_pages_ask_anonymous_visitors_to_sign_in(web, dongcheng_place):
    for url in ("/", "/map/", f"/places/{dongcheng_place.pk}/", "/messages/"):
        response = web.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_signing_in_with_the_demo_password_opens_the_workbench_in_chinese(web, settings):
    response = web.post("/accounts/login/", {"username": "dc_dispatcher", "password": settings.DEMO_PASSWORD}, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "工作台" in html and 'lang="zh-hans"' in html


@pytest.mark.django_db
def test_english_is_available(web, insider):
    web.force_login(insider)
    web.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Workbench" in web.get("/").content.decode()


@pytest.mark.django_db
def test_the_one_map_page_points_at_the_layers(web, insider):
    web.force_login(insider)
    html = web.get("/map/").content.decode()
    assert "/api/gbcp/regions/geojson/" in html and "onemap.js" in html and "leaflet" in html.lower()


@pytest.mark.django_db
def test_place_page_insider_outsider(web, insider, outsider, dongcheng_place):
    web.force_login(insider)
    response = web.get(f"/places/{dongcheng_place.pk}/")
    assert response.status_code == 200 and dongcheng_place.city_code in response.content.decode()
    web.force_login(outsider)
    assert web.get(f"/places/{dongcheng_place.pk}/").status_code == 404


@pytest.mark.django_db
def test_admin_lists_places_with_the_map_widget(web, admin_user, dongcheng_place):
    web.force_login(admin_user)
    assert web.get("/admin/gbcp/place/?q=" + dongcheng_place.city_code).status_code == 200
    change = web.get(f"/admin/gbcp/place/{dongcheng_place.pk}/change/").content.decode()
    assert "leaflet" in change.lower()
    assert web.get(f"/admin/gbcp/place/{dongcheng_place.pk}/history/").status_code == 200


@pytest.mark.django_db
def test_message_centre_lists_and_marks_read(web, insider):
    from apps.realtime.events import publish

    publish(event="test", payload={}, users=[insider], title="请处理新任务")
    web.force_login(insider)
    assert "请处理新任务" in web.get("/messages/").content.decode()
    web.post("/messages/")
    assert insider.notifications.filter(read_at__isnull=True).count() == 0


@pytest.mark.django_db
def test_pages_stay_chinese_for_an_english_browser_until_english_is_chosen(web, insider):
    web.force_login(insider)
    assert "工作台" in web.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    web.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Workbench" in web.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
