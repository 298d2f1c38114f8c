"""Staff pages of evidence: list and detail scoped by district, preview, proof and bundle download; demo data is verifiable."""
import zipfile
import io

import pytest
from django.conf import settings as django_settings
from django.test import Client

from apps.evidence import services
from apps.evidence.models import Evidence

pytestmark = pytest.mark.django_db


def client_for(user=None, language="en"):
    web = Client()
    web.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
    if user is not None:
        web.force_login(user)
    return web


@pytest.fixture
def recorded(insider, photo, dc_task, media_root):
    from django.contrib.gis.geos import Point

    return services.evidence_record(user=insider, file=photo(), subject=dc_task, point=Point(116.3976, 39.9042, srid=4326), note="现场照片")


def test_an_insider_sees_the_evidence_page_with_preview_proof_and_bundle_link(insider, recorded):
    response = client_for(insider).get(f"/evidence/{recorded.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert recorded.sha256 in html and recorded.log_entry.leaf_hash in html
    assert f"/evidence/{recorded.pk}/bundle/" in html and f'<img src="/evidence/{recorded.pk}/file/"' in html
    assert "Download verification bundle" in html and 'id="evidence-map"' in html


def test_the_page_is_in_chinese_by_default(insider, recorded):
    html = client_for(insider, language="zh-hans").get(f"/evidence/{recorded.pk}/").content.decode()
    assert "下载核验包" in html and "存证日志" in html


def test_an_outsider_gets_404_and_an_anonymous_visitor_the_login_page(outsider, recorded):
    for suffix in ("", "file/", "bundle/"):
        assert client_for(outsider).get(f"/evidence/{recorded.pk}/{suffix}").status_code == 404
        response = client_for().get(f"/evidence/{recorded.pk}/{suffix}")
        assert response.status_code == 302 and "login" in response["Location"]


def test_the_bundle_download_is_a_zip_with_the_file(insider, recorded):
    response = client_for(insider).get(f"/evidence/{recorded.pk}/bundle/")
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as zf:
        assert f"evidence-{recorded.pk}.jpg" in zf.namelist()


def test_the_list_is_scoped_and_paginated_with_few_queries(insider, outsider, recorded, django_assert_max_num_queries):
    web = client_for(insider)
    with django_assert_max_num_queries(12):
        response = web.get("/evidence/")
    assert response.status_code == 200 and f"/evidence/{recorded.pk}/" in response.content.decode()
    assert f"/evidence/{recorded.pk}/" not in client_for(outsider).get("/evidence/").content.decode()
    assert client_for().get("/evidence/").status_code == 302


def test_the_list_filters_by_hash_prefix(insider, recorded):
    html = client_for(insider).get("/evidence/", {"q": recorded.sha256[:12]}).content.decode()
    assert f"/evidence/{recorded.pk}/" in html
    html = client_for(insider).get("/evidence/", {"kind": "video"}).content.decode()
    assert f"/evidence/{recorded.pk}/" not in html


def test_the_demo_attached_verifiable_photos_to_tasks_and_seeding_again_changes_nothing():
    from apps.evidence import demo
    from apps.evidence.verify import verify_all

    demo_rows = Evidence.objects.filter(note=demo.DEMO_NOTE)
    assert demo_rows.count() == demo.DEMO_PHOTOS
    assert all(e.subject_type.model == "task" and e.device == "CityEnforce Demo Camera" and e.point and e.captured_at for e in demo_rows)
    before = Evidence.objects.count()

    class Ctx:
        def say(self, *a):
            pass

    demo.seed(Ctx())
    assert Evidence.objects.count() == before
    assert verify_all().ok
