"""The citizen portal over real HTTP: report with photos, rate limit, tracking page without personal data."""

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from apps.accounts.models import User
from apps.dispatch import services as dispatch_services
from apps.dispatch.models import Source, Task
from apps.dispatch.models import TaskPhoto

from .conftest import image_bytes


def files_under(root):
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def web():
    client = Client()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def form(point, **extra):
    data = {"lat": f"{point.y:.6f}", "lon": f"{point.x:.6f}", "description": "东华门大街有流动摊贩占道经营，影响通行", "category": ""}
    data.update(extra)
    return data


@pytest.mark.django_db
def test_the_report_page_has_a_map_that_works_without_tiles(web):
    response = web.get("/report/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="report-map"' in html and "report.js" in html and 'name="lat"' in html and 'name="lon"' in html
    assert "district-outlines" in html and "Use my location" in html
    assert response.context["outlines"]["features"], "district outlines keep the map usable without tiles"
    assert "let the system guess" in html


@pytest.mark.django_db
def test_a_citizen_report_end_to_end(web, dhm_point, png, media_root):
    before = Task.objects.count()
    response = web.post("/report/", form(dhm_point, reporter_phone="138 0000 2222", reporter_name="李四", photos=[png(), png("b.png")]))
    assert response.status_code == 302, response.content.decode()[:2000]
    task = Task.objects.exclude(pk__in=[]).order_by("-id").first()
    assert Task.objects.count() == before + 1
    assert response["Location"] == f"/report/track/{task.tracking_code}/"
    assert task.source == Source.CITIZEN and task.region_code.startswith("110101")
    assert task.reporter_phone == "13800002222" and task.reporter_name == "李四" and task.reporter_user is None
    photos = list(TaskPhoto.objects.filter(task=task, stage="report"))
    assert len(photos) == 2
    stored = files_under(media_root)
    assert len(stored) == 2 and all(p.parent == media_root / "tasks" / task.tracking_code for p in stored)
    assert all(p.suffix == ".png" for p in stored)

    page = web.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert task.tracking_code in html and task.get_status_display() in html
    assert "13800002222" not in html and "2222" not in html and "李四" not in html
    assert "东华门大街有流动摊贩" not in html  # the report text is not shown either
    states = [s["state"] for s in page.context["steps"]]
    assert len(states) == 7 and states[:2] == ["done", "done"] and states[2] == "current"


@pytest.mark.django_db
def test_a_signed_in_citizen_is_linked_to_the_report(web, dhm_point):
    citizen = User.objects.get(username="citizen")
    web.force_login(citizen)
    response = web.post("/report/", form(dhm_point, description="这里的井盖丢失了，很危险"))
    assert response.status_code == 302
    task = Task.objects.get(tracking_code=response["Location"].rstrip("/").rsplit("/", 1)[1])
    assert task.reporter_user == citizen


@pytest.mark.django_db
def test_a_chosen_public_category_is_used(web, dhm_point):
    from apps.gbcp.models import Category

    category = Category.objects.filter(is_public=True, is_active=True).exclude(deadline_unit="").order_by("code").first()
    response = web.post("/report/", form(dhm_point, category=category.code))
    task = Task.objects.get(tracking_code=response["Location"].rstrip("/").rsplit("/", 1)[1])
    assert task.category == category and task.category_method == "given"
    assert category.name in web.get(response["Location"]).content.decode()


@pytest.mark.django_db
def test_a_file_that_is_not_an_image_is_refused_and_nothing_is_stored(web, dhm_point, png, media_root):
    before = Task.objects.count()
    fake = SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n this is not really a picture", content_type="image/png")
    response = web.post("/report/", form(dhm_point, photos=[png(), fake]))
    assert response.status_code == 400
    assert "is not a photo we can read" in response.content.decode()
    assert Task.objects.count() == before and files_under(media_root) == []


@pytest.mark.django_db
def test_a_gif_is_refused(web, dhm_point, media_root):
    gif = SimpleUploadedFile("a.gif", image_bytes("GIF"), content_type="image/gif")
    before = Task.objects.count()
    response = web.post("/report/", form(dhm_point, photos=[gif]))
    assert response.status_code == 400 and "only JPEG, PNG or WebP" in response.content.decode()
    assert Task.objects.count() == before and files_under(media_root) == []


@pytest.mark.django_db
def test_a_too_large_photo_is_refused(web, dhm_point, png, media_root, settings):
    settings.CITIZEN_PHOTO_MAX_BYTES = 2000
    big = png(size=(200, 200), noise=True)
    assert big.size > 2000
    before = Task.objects.count()
    response = web.post("/report/", form(dhm_point, photos=[big]))
    assert response.status_code == 400 and "is too large" in response.content.decode()
    assert Task.objects.count() == before and files_under(media_root) == []


@pytest.mark.django_db
def test_more_than_three_photos_and_bad_fields_are_refused(web, dhm_point, png):
    before = Task.objects.count()
    response = web.post("/report/", form(dhm_point, photos=[png(), png(), png(), png()]))
    assert response.status_code == 400 and "At most 3 photos." in response.content.decode()
    response = web.post("/report/", form(dhm_point, description="短", reporter_phone="12345"))
    assert response.status_code == 400 and "<form" in response.content.decode()
    errors = response.context["form"].errors
    assert "description" in errors and "reporter_phone" in errors
    response = web.post("/report/", {"description": "没有地点的举报内容"})
    assert "Choose the place on the map." in response.content.decode()
    assert Task.objects.count() == before


@pytest.mark.django_db
def test_a_point_outside_the_city_is_refused_with_the_services_message(web):
    before = Task.objects.count()
    response = web.post("/report/", {"lat": "31.2304", "lon": "121.4737", "description": "上海的问题不归北京管"})
    assert response.status_code == 400 and "outside the city" in response.content.decode()
    assert Task.objects.count() == before


@pytest.mark.django_db
def test_a_failure_while_storing_photos_leaves_no_task_and_no_file(web, dhm_point, png, media_root, monkeypatch):
    real_save = TaskPhoto.save
    calls = []

    def flaky_save(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise OSError("disk full")
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(TaskPhoto, "save", flaky_save)
    before = Task.objects.count()
    with pytest.raises(OSError):
        web.post("/report/", form(dhm_point, photos=[png(), png("b.png")]))
    assert Task.objects.count() == before
    assert files_under(media_root) == []


@pytest.mark.django_db
def test_the_rate_limit_answers_429(web, dhm_point, settings):
    settings.CITIZEN_REPORTS_PER_HOUR = 2
    assert web.post("/report/", form(dhm_point, description="第一条举报：占道经营")).status_code == 302
    assert web.post("/report/", form(dhm_point, description="第二条举报：夜间施工")).status_code == 302
    before = Task.objects.count()
    response = web.post("/report/", form(dhm_point, description="第三条举报：乱堆物料"))
    assert response.status_code == 429
    assert "Too many reports" in response.content.decode() and Task.objects.count() == before
    # Another connection is not affected.
    assert web.post("/report/", form(dhm_point, description="第四条举报：另一个网络"), REMOTE_ADDR="10.0.0.9").status_code == 302


@pytest.mark.django_db
def test_unknown_tracking_codes_are_not_found(web):
    assert web.get("/report/track/NOSUCHCODE/").status_code == 404
    response = web.get("/report/track/?code=nosuchcode")
    assert response.status_code == 404 and "No report has this tracking code" in response.content.decode()
    assert web.get("/report/track/").status_code == 200


@pytest.mark.django_db
def test_the_lookup_form_redirects_to_the_progress_page(web, dhm_point):
    code = web.post("/report/", form(dhm_point))["Location"].rstrip("/").rsplit("/", 1)[1]
    response = web.get(f"/report/track/?code={code.lower()}")
    assert response.status_code == 302 and response["Location"] == f"/report/track/{code}/"


@pytest.mark.django_db
def test_a_merged_report_shows_the_earlier_reports_status_but_not_its_text(web, dhm_point, insider):
    from apps.gbcp.models import Organization

    category = Organization.objects.get(name="东华门街道综合行政执法队").duties.order_by("code").first()
    earlier = dispatch_services.task_intake(
        user=insider, source=Source.HOTLINE, description="东华门大街有流动摊贩占道经营，影响通行，请尽快处理", point=dhm_point,
        category=category, reporter_phone="13911112222", reporter_name="王五",
    ).task
    dispatch_services.task_dispatch(user=insider, task=earlier)
    response = web.post("/report/", form(dhm_point, description="东华门大街有流动摊贩占道经营，影响通行，请尽快处理", category=category.code))
    code = response["Location"].rstrip("/").rsplit("/", 1)[1]
    report = Task.objects.get(tracking_code=code)
    if report.master_id is None:
        pytest.skip("the dedup scores did not merge this pair")
    html = web.get(f"/report/track/{code}/").content.decode()
    assert "merged with an earlier report of the same problem" in html
    assert "Status: dispatched" in html
    assert "王五" not in html and "13911112222" not in html and "2222" not in html and earlier.tracking_code not in html
    assert "请尽快处理" not in html


@pytest.mark.django_db
def test_a_closed_report_shows_the_handling_result(web, dhm_point, insider):
    from apps.gbcp.models import Organization

    response = web.post("/report/", form(dhm_point, description="东华门大街有流动摊贩占道经营，影响通行"))
    code = response["Location"].rstrip("/").rsplit("/", 1)[1]
    task = Task.objects.get(tracking_code=code)
    if task.category_id is None:
        squad = Organization.objects.get(name="东华门街道综合行政执法队")
        dispatch_services.task_set_category(user=insider, task=task, category=squad.duties.order_by("code").first())
    leader, officer = User.objects.get(username="dhm_leader"), User.objects.get(username="dhm_officer1")
    dispatch_services.task_dispatch(user=insider, task=task)
    dispatch_services.task_accept(user=leader, task=task)
    dispatch_services.task_feedback(user=officer, task=task, result="摊贩已劝离，现场已恢复通行", solved=True)
    dispatch_services.task_verify(user=insider, task=task, approved=True, rating="satisfied")
    page = web.get(f"/report/track/{code}/")
    html = page.content.decode()
    assert "摊贩已劝离，现场已恢复通行" in html and "Handling result" in html
    assert [s["state"] for s in page.context["steps"]] == ["done"] * 7
