"""The report form's submission token (issue 10, finding 4): a resent form finds the first report, never a second task."""
import re

import pytest
from django.conf import settings as django_settings
from django.test import Client

from apps.accounts.models import User
from apps.dispatch.models import Task, TaskPhoto

from .conftest import image_bytes


def files_under(root):
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def web():
    client = Client()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def token_on(page) -> str:
    return re.search(r'name="submission_token" value="([^"]+)"', page.content.decode()).group(1)


def form(point, token, **extra):
    data = {"lat": f"{point.y:.6f}", "lon": f"{point.x:.6f}", "description": "东华门大街有流动摊贩占道经营，影响通行",
            "category": "", "submission_token": token}
    data.update(extra)
    return data


def photo():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("photo.png", image_bytes("PNG"), content_type="image/png")


@pytest.mark.django_db
def test_every_report_form_carries_its_own_submission_token(web):
    first, second = token_on(web.get("/report/")), token_on(web.get("/report/"))
    assert len(first) >= 16 and first != second


@pytest.mark.django_db
def test_a_resent_form_finds_the_first_report_and_makes_no_second_task(web, dhm_point, media_root):
    token = token_on(web.get("/report/"))
    before = Task.objects.count()
    first = web.post("/report/", form(dhm_point, token, photos=[photo()]))
    assert first.status_code == 302, first.content.decode()[:1000]
    again = web.post("/report/", form(dhm_point, token, photos=[photo()]))
    assert again.status_code == 302 and again["Location"] == first["Location"]
    assert Task.objects.count() == before + 1
    task = Task.objects.get(tracking_code=first["Location"].rstrip("/").rsplit("/", 1)[1])
    assert TaskPhoto.objects.filter(task=task).count() == 1 and len(files_under(media_root)) == 1


@pytest.mark.django_db
def test_a_token_sent_again_with_other_content_is_refused_with_a_fresh_token(web, dhm_point):
    token = token_on(web.get("/report/"))
    assert web.post("/report/", form(dhm_point, token)).status_code == 302
    before = Task.objects.count()
    response = web.post("/report/", form(dhm_point, token, description="另一处：人行道上堆放建筑垃圾"))
    assert response.status_code == 400
    assert "already sent with other content" in response.content.decode()
    fresh = token_on(response)
    assert fresh != token and Task.objects.count() == before
    assert web.post("/report/", form(dhm_point, fresh, description="另一处：人行道上堆放建筑垃圾")).status_code == 302
    assert Task.objects.count() == before + 1


@pytest.mark.django_db
def test_tokens_are_scoped_to_the_caller(web, dhm_point):
    token = token_on(web.get("/report/"))
    anonymous = web.post("/report/", form(dhm_point, token))
    signed_in = Client()
    signed_in.force_login(User.objects.get(username="citizen"))
    theirs = signed_in.post("/report/", form(dhm_point, token))
    assert anonymous.status_code == theirs.status_code == 302
    assert anonymous["Location"] != theirs["Location"]


@pytest.mark.django_db
def test_a_malformed_token_is_refused_and_stores_nothing(web, dhm_point):
    before = Task.objects.count()
    response = web.post("/report/", form(dhm_point, "bad token"))
    assert response.status_code == 400 and "reload the page" in response.content.decode()
    assert Task.objects.count() == before


@pytest.mark.django_db
def test_a_form_without_a_token_still_works(web, dhm_point):
    """Pages cached before the token existed keep working (without the protection)."""
    data = form(dhm_point, "")
    del data["submission_token"]
    assert web.post("/report/", data).status_code == 302


@pytest.mark.django_db
def test_the_report_page_answers_while_the_cache_is_down(web, settings):
    """The outlines' cache only saves work: with Redis away (a closed port) the page is still served."""
    import socket

    from django.core.cache import caches

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": f"redis://127.0.0.1:{port}/0",
                                   "OPTIONS": {"socket_connect_timeout": 1}}}
    try:
        response = web.get("/report/")
    finally:
        caches["default"].close()
    assert response.status_code == 200 and response.context["outlines"]["features"]
