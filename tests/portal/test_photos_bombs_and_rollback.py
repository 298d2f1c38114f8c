"""The citizen report form: a decompression bomb is refused with a clear 400; photos of a rolled-back report leave the disk."""
import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client

from apps.dispatch.models import Task
from apps.portal import services
from tests.imagefiles import bomb_png, small_png


class Boom(Exception):
    pass


def files_under(root):
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.mark.django_db
def test_a_hundred_megapixel_photo_in_a_citizen_report_is_refused_with_a_clear_400(dhm_point, media_root):
    web = Client()
    web.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    before = Task.objects.count()
    bomb = SimpleUploadedFile("scene.png", bomb_png(), content_type="image/png")
    response = web.post("/report/", {"lat": f"{dhm_point.y:.6f}", "lon": f"{dhm_point.x:.6f}",
                                     "description": "东华门大街有流动摊贩占道经营，影响通行", "category": "", "photos": [bomb]})
    assert response.status_code == 400
    assert "too many pixels" in response.content.decode()
    assert Task.objects.count() == before and files_under(media_root) == []


@pytest.mark.django_db
def test_photos_of_a_report_in_a_transaction_that_rolls_back_leave_the_disk(dhm_point, media_root):
    photos = [SimpleUploadedFile(n, small_png(), content_type="image/png") for n in ("a.png", "b.png")]
    with pytest.raises(Boom):
        with transaction.atomic():
            services.citizen_report_submit(user=None, lat=dhm_point.y, lon=dhm_point.x,
                                           description="东华门大街有流动摊贩占道经营，影响通行", photos=photos)
            assert len(files_under(media_root)) == 2
            raise Boom()
    assert files_under(media_root) == []
