"""Inspection photos: a decompression bomb (photo or QR label) is refused with a clear 400; photos of a rolled-back record leave the disk."""
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image

from apps.inspection import services
from apps.inspection.models import InspectionRecord
from tests.imagefiles import bomb_png


class Boom(Exception):
    pass


def jpeg(seed=0):
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 40, seed % 250)).save(buffer, format="JPEG")
    return SimpleUploadedFile(f"p{seed}.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def files_under(root):
    return sorted(p for p in root.rglob("*") if p.is_file())


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["photos", "qr_photo", "licence_photo"])
def test_a_hundred_megapixel_inspection_photo_is_refused_with_a_clear_400(api_as, officer1, officer2, dhm_place, answers_for, media_root, field):
    before = InspectionRecord.objects.count()
    bomb = SimpleUploadedFile("scene.png", bomb_png(), content_type="image/png")
    body = {"co_officer": officer2.pk, "answers": json.dumps(answers_for(dhm_place)), "lat": dhm_place.point.y, "lon": dhm_place.point.x,
            field: [bomb] if field == "photos" else bomb}
    if field != "qr_photo":
        body["city_code"] = dhm_place.city_code
    response = api_as(officer1).post("/api/inspection/records/", body, format="multipart")
    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"] in {"image_too_large", "invalid"}
    assert InspectionRecord.objects.count() == before and files_under(media_root) == []


@pytest.mark.django_db
def test_photos_of_an_inspection_in_a_transaction_that_rolls_back_leave_the_disk(officer1, officer2, dhm_place, answers_for, media_root):
    with pytest.raises(Boom):
        with transaction.atomic():
            services.inspection_record(user=officer1, place=dhm_place, co_officer=officer2, answers=answers_for(dhm_place),
                                       point=dhm_place.point, photos=[jpeg(1), jpeg(2)])
            assert len(files_under(media_root)) == 2
            raise Boom()
    assert files_under(media_root) == []
