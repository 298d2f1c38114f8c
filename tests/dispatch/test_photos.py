"""Task photos are seen by whoever may see the task, on the staff page and through the task API, and by nobody else
(404, exactly like a photo that does not exist); no page carries a /media/ URL; the dispatcher sees the feedback
photos when verifying."""
import io
import re

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from apps.accounts.models import Role, User
from apps.dispatch import services
from apps.dispatch.models import Source, TaskPhoto
from apps.gbcp.models import Organization
from tests.personas import five_callers


def jpeg_upload(name="scene.jpg", size=(1200, 900), color=(30, 90, 160)):
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def web_as(user=None):
    web = Client()
    web.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    if user is not None:
        web.force_login(user)
    return web


def content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.PROTECTED_FILES_ACCEL = ""
    return tmp_path


@pytest.fixture
def squad():
    return Organization.objects.get(name="东华门街道综合行政执法队")


@pytest.fixture
def callers(db, squad):
    """Dispatchers of 东城 (insider) and of 海淀 (outsider), a citizen, a merchant, the anonymous caller."""
    district = Organization.objects.filter(region__code="110101").exclude(kind=Organization.Kind.HOTLINE_CENTRE).order_by("level", "pk").first()
    elsewhere = Organization.objects.filter(region__code="110108", kind=district.kind).order_by("level", "pk").first()
    return five_callers(role=Role.DISPATCHER, organization=district, outside_organization=elsewhere)


@pytest.fixture
def task_with_photo(db, insider, dhm_point, vendor_category):
    result = services.task_intake_with_photos(
        photos=[jpeg_upload()], user=insider, source=Source.DISPATCHER, description="东华门大街有流动摊贩占道经营，影响通行",
        point=dhm_point, category=vendor_category)
    return result.report, result.report.photos.get()


@pytest.mark.django_db
def test_the_five_callers_on_the_staff_photo_url(callers, task_with_photo):
    task, photo = task_with_photo
    for suffix in ("", "?size=thumb"):
        url = f"/dispatch/photos/{photo.pk}/{suffix}"
        missing = f"/dispatch/photos/{photo.pk + 10_000}/{suffix}"
        for who, user in callers.items():
            response = web_as(user).get(url)
            if who == "insider":
                assert response.status_code == 200, (who, url)
                assert response["Content-Type"] == "image/jpeg" and response["Cache-Control"].startswith("private")
                with Image.open(io.BytesIO(content(response))) as image:
                    assert image.size == ((320, 240) if suffix else (1200, 900))
            elif who == "anonymous":
                assert response.status_code == 302 and "/accounts/login/" in response["Location"], (who, url)
            else:
                assert response.status_code == 404, (who, url)
                assert web_as(user).get(missing).status_code == 404


@pytest.mark.django_db
def test_the_five_callers_on_the_api_photo_url_and_another_tasks_photo_is_404(callers, api_as, task_with_photo, dhm_point, insider):
    task, photo = task_with_photo
    url = f"/api/dispatch/tasks/{task.pk}/photos/{photo.pk}/"
    for who, user in callers.items():
        response = api_as(user).get(url)
        expected = {"insider": 200, "anonymous": 401}.get(who, 404)
        assert response.status_code == expected, (who, response.status_code)
        if expected == 404:
            assert response.json()["error"]["code"] == "not_found"
    other = services.task_intake(user=insider, source=Source.DISPATCHER, description="东单北大街路灯不亮，晚上很黑", point=dhm_point).task
    # A photo of one task asked for under another task the caller may see: not found.
    assert api_as(callers.insider).get(f"/api/dispatch/tasks/{other.pk}/photos/{photo.pk}/").status_code == 404
    thumb = api_as(callers.insider).get(url + "?size=thumb")
    with Image.open(io.BytesIO(content(thumb))) as image:
        assert max(image.size) == 320


@pytest.mark.django_db
def test_the_task_api_lists_the_photos_with_urls_that_work(api_as, callers, task_with_photo):
    task, photo = task_with_photo
    client = api_as(callers.insider)
    body = client.get(f"/api/dispatch/tasks/{task.pk}/").json()
    assert body["photos"] == [{
        "id": photo.pk, "stage": "report", "stage_label": str(TaskPhoto.Stage.REPORT.label), "uploaded_at": body["photos"][0]["uploaded_at"],
        "url": f"http://testserver/api/dispatch/tasks/{task.pk}/photos/{photo.pk}/",
        "thumb_url": f"http://testserver/api/dispatch/tasks/{task.pk}/photos/{photo.pk}/?size=thumb",
    }]
    assert client.get(body["photos"][0]["thumb_url"]).status_code == 200
    assert "/media/" not in str(body)


@pytest.mark.django_db
def test_the_web_server_sends_the_photo_when_the_accel_setting_is_on(settings, callers, task_with_photo):
    settings.PROTECTED_FILES_ACCEL = "/protected/"
    task, photo = task_with_photo
    response = web_as(callers.insider).get(f"/dispatch/photos/{photo.pk}/")
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/protected/{photo.image.name}"
    thumb = web_as(callers.insider).get(f"/dispatch/photos/{photo.pk}/?size=thumb")
    assert thumb["X-Accel-Redirect"].startswith("/protected/thumbs/320/")
    # Refused callers get the same 404 as before: the setting changes how, never whether.
    assert web_as(callers.outsider).get(f"/dispatch/photos/{photo.pk}/").status_code == 404


@pytest.mark.django_db
def test_the_task_page_shows_report_and_feedback_thumbnails_apart_and_the_verify_step_shows_the_feedback(insider, task_with_photo):
    task, photo = task_with_photo
    services.task_dispatch(user=insider, task=task)
    services.task_accept(user=User.objects.get(username="dhm_leader"), task=task)
    services.task_feedback(user=User.objects.get(username="dhm_officer1"), task=task, result="已清理", photos=[jpeg_upload("after.jpg", color=(20, 200, 20))])
    after = task.photos.get(stage=TaskPhoto.Stage.FEEDBACK)
    response = web_as(insider).get(f"/dispatch/tasks/{task.pk}/")
    html = response.content.decode()
    assert response.status_code == 200 and "/media/" not in html
    assert [p.pk for p in response.context["report_photos"]] == [photo.pk]
    assert [p.pk for p in response.context["feedback_photos"]] == [after.pk]
    assert f'src="/dispatch/photos/{photo.pk}/?size=thumb"' in html and f'href="/dispatch/photos/{photo.pk}/"' in html
    # The verify form carries the feedback photo: the dispatcher looks before closing.
    verify_form = re.search(r'<form[^>]+action="/dispatch/tasks/\d+/verify/".*?</form>', html, re.S).group(0)
    assert f"/dispatch/photos/{after.pk}/?size=thumb" in verify_form and f"/dispatch/photos/{photo.pk}/" not in verify_form
    for src in re.findall(r'<img[^>]+src="([^"]+)"', html):
        if src.startswith("/dispatch/photos/"):
            assert web_as(insider).get(src).status_code == 200


@pytest.mark.django_db
def test_the_admin_shows_photos_through_the_checked_view(admin_user, task_with_photo):
    task, photo = task_with_photo
    web = web_as(admin_user)
    for url in (f"/admin/dispatch/task/{task.pk}/change/", "/admin/dispatch/taskphoto/", f"/admin/dispatch/taskphoto/{photo.pk}/change/"):
        response = web.get(url)
        html = response.content.decode()
        assert response.status_code == 200 and "/media/" not in html, url
        assert f"/dispatch/photos/{photo.pk}/?size=thumb" in html, url


def test_no_route_serves_media_root():
    from django.urls import Resolver404, resolve

    with pytest.raises(Resolver404):
        resolve("/media/tasks/ABC/x.jpg")
