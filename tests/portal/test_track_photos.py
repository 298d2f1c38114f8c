"""The tracking page shows the reporter's own photos and the photos taken after handling, through a view keyed by the
tracking code that serves only that report's photos (404 for any other), rate-limited, with no /media/ URL."""
import io
import re

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from apps.accounts.models import User
from apps.dispatch import services
from apps.dispatch.models import Source, Status, Task, TaskPhoto


def jpeg(name="p.jpg", size=(900, 600), color=(200, 80, 40)):
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def web_as(user=None):
    web = Client()
    web.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    if user is not None:
        web.force_login(user)
    return web


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def citizen_report(handled_report):
    """The same, verified and closed by the dispatcher: its "after" photo is now shown to the reporter."""
    services.task_verify(user=User.objects.get(username="dc_dispatcher"), task=handled_report, approved=True)
    handled_report.refresh_from_db()
    return handled_report


@pytest.fixture
def handled_report(db, dhm_point):
    """A citizen's report with one photo, handled by the 东华门 squad with one "after" photo, awaiting verification."""
    from apps.gbcp.models import Organization

    category = Organization.objects.get(name="东华门街道综合行政执法队").duties.order_by("code").first()
    result = services.task_intake_with_photos(
        photos=[jpeg("before.jpg")], user=None, source=Source.CITIZEN, description="东华门大街有流动摊贩占道经营，影响通行",
        point=dhm_point, category=category, reporter_name="李四", reporter_phone="13900002222")
    task = result.task
    services.task_dispatch(user=User.objects.get(username="dc_dispatcher"), task=task)
    services.task_accept(user=User.objects.get(username="dhm_leader"), task=task)
    services.task_feedback(user=User.objects.get(username="dhm_officer1"), task=task, result="已劝离", photos=[jpeg("after.jpg", color=(20, 180, 20))])
    return task


@pytest.fixture
def other_report(db, dhm_point):
    far = dhm_point.buffer(0.01).boundary.point_on_surface  # apart, so not merged into the first
    return services.task_intake_with_photos(
        photos=[jpeg("other.jpg")], user=None, source=Source.CITIZEN, description="某小区门口垃圾堆放多日无人清理，气味很大",
        point=far, reporter_name="王五", reporter_phone="13700003333").report


def photos_of(task, stage):
    return list(task.photos.filter(stage=stage).order_by("id"))


@pytest.mark.django_db
def test_the_tracking_page_shows_the_reporters_and_the_after_photos_with_no_media_url(citizen_report):
    before, = photos_of(citizen_report, TaskPhoto.Stage.REPORT)
    after, = photos_of(citizen_report, TaskPhoto.Stage.FEEDBACK)
    code = citizen_report.tracking_code
    html = web_as().get(f"/report/track/{code}/").content.decode()
    assert "/media/" not in html
    for photo in (before, after):
        assert f'src="/report/track/{code}/photos/{photo.pk}/?size=thumb"' in html
        assert f'href="/report/track/{code}/photos/{photo.pk}/"' in html
    # Every image on the page loads.
    for src in re.findall(r'<img[^>]+src="([^"]+)"', html):
        if "/photos/" in src:
            response = web_as().get(src)
            assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
            with Image.open(io.BytesIO(body(response))) as image:
                assert max(image.size) <= 320


@pytest.mark.django_db
def test_with_the_code_each_caller_sees_that_reports_photos_and_nothing_else(citizen_report, other_report, personas):
    before, = photos_of(citizen_report, TaskPhoto.Stage.REPORT)
    after, = photos_of(citizen_report, TaskPhoto.Stage.FEEDBACK)
    foreign, = photos_of(other_report, TaskPhoto.Stage.REPORT)
    code = citizen_report.tracking_code
    for who, user in personas.items():
        web = web_as(user)
        for photo in (before, after):
            assert web.get(f"/report/track/{code}/photos/{photo.pk}/").status_code == 200, who
            assert web.get(f"/report/track/{code}/photos/{photo.pk}/?size=thumb").status_code == 200, who
        # Another report's photo under this code, this photo under another code or a wrong code: all not found.
        assert web.get(f"/report/track/{code}/photos/{foreign.pk}/").status_code == 404, who
        assert web.get(f"/report/track/{other_report.tracking_code}/photos/{before.pk}/").status_code == 404, who
        assert web.get(f"/report/track/ZZZZZZZZZZ/photos/{before.pk}/").status_code == 404, who
        assert web.get(f"/report/track/{code}/photos/{before.pk + 10_000}/").status_code == 404, who
        # The staff view stays closed to everyone but staff who may see the task.
        staff = web.get(f"/dispatch/photos/{before.pk}/")
        assert staff.status_code == ({"insider": 200, "anonymous": 302}.get(who, 404)), who


@pytest.mark.django_db
def test_a_merged_report_shows_its_own_photos_and_the_after_photos_not_the_other_reporters(citizen_report, dhm_point):
    # A second citizen reports the same problem; the dispatcher merged it into the first (stored as the merge stores it).
    second = services.task_intake_with_photos(
        photos=[jpeg("mine.jpg", color=(0, 0, 200))], user=None, source=Source.CITIZEN, description="东华门大街摊贩又来了",
        point=dhm_point.buffer(0.003).boundary.point_on_surface, category=citizen_report.category, reporter_name="赵六",
        reporter_phone="13600004444").report
    Task.objects.filter(pk=second.pk).update(master=citizen_report, status=Status.MERGED)
    second.refresh_from_db()
    mine, = photos_of(second, TaskPhoto.Stage.REPORT)
    theirs, = photos_of(citizen_report, TaskPhoto.Stage.REPORT)
    after, = photos_of(citizen_report, TaskPhoto.Stage.FEEDBACK)
    code = second.tracking_code
    html = web_as().get(f"/report/track/{code}/").content.decode()
    assert f"/photos/{mine.pk}/" in html and f"/photos/{after.pk}/" in html and f"/photos/{theirs.pk}/" not in html
    assert web_as().get(f"/report/track/{code}/photos/{theirs.pk}/").status_code == 404
    assert web_as().get(f"/report/track/{code}/photos/{after.pk}/").status_code == 200


@pytest.mark.django_db
def test_the_photo_view_is_rate_limited_per_client(settings, citizen_report):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "portal-photo": "3/m"}
    before, = photos_of(citizen_report, TaskPhoto.Stage.REPORT)
    url = f"/report/track/{citizen_report.tracking_code}/photos/{before.pk}/"
    web = web_as()
    assert [web.get(url).status_code for _ in range(3)] == [200, 200, 200]
    refused = web.get(url)
    assert refused.status_code == 429 and "Retry-After" in refused


@pytest.mark.django_db
def test_the_zh_hans_tracking_page_has_no_english_in_the_photo_section(citizen_report):
    web = Client()
    web.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    html = web.get(f"/report/track/{citizen_report.tracking_code}/").content.decode()
    section = re.search(r'<section class="card track-photos">.*?</section>', html, re.S).group(0)
    text = re.sub(r"<[^>]+>", " ", section)
    assert "照片" in text and not re.search(r"[A-Za-z]{3,}", text), text
    alts = " ".join(re.findall(r'alt="([^"]*)"', section))
    assert not re.search(r"[A-Za-z]{3,}", alts), alts


@pytest.mark.django_db
def test_the_after_photo_is_shown_only_once_the_dispatcher_has_closed_the_task(handled_report):
    before, = photos_of(handled_report, TaskPhoto.Stage.REPORT)
    after, = photos_of(handled_report, TaskPhoto.Stage.FEEDBACK)
    code = handled_report.tracking_code
    html = web_as().get(f"/report/track/{code}/").content.decode()
    assert f"/photos/{before.pk}/" in html and f"/photos/{after.pk}/" not in html
    assert web_as().get(f"/report/track/{code}/photos/{after.pk}/").status_code == 404
    services.task_verify(user=User.objects.get(username="dc_dispatcher"), task=handled_report, approved=True)
    assert f"/photos/{after.pk}/" in web_as().get(f"/report/track/{code}/").content.decode()
    assert web_as().get(f"/report/track/{code}/photos/{after.pk}/").status_code == 200
