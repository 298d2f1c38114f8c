"""The one image check: a decompression bomb is refused by its header with a clear 400, before any pixel is decoded."""
import io
import warnings

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from apps.gbcp import citycode, images
from apps.gbcp.errors import ApplicationError
from apps.gbcp.photos import check_photo
from tests.imagefiles import bomb_png, small_png


def upload(data: bytes, name="photo.png"):
    return SimpleUploadedFile(name, data, content_type="image/png")


def test_a_hundred_megapixel_png_is_refused_before_it_is_decoded(monkeypatch):
    decoded = []
    monkeypatch.setattr(Image.Image, "load", lambda self: decoded.append(self) or None)
    with pytest.raises(images.ImageTooLarge) as refused:
        images.check_image(upload(bomb_png()))
    assert refused.value.code == "image_too_large" and refused.value.status_code == 400
    assert "100" in refused.value.message and "64" in refused.value.message
    assert not decoded


def test_the_limit_is_sixty_four_megapixels_and_a_48_mp_phone_photo_passes(settings, monkeypatch):
    over, phone, at_limit = bomb_png(8_001, 8_000), bomb_png(8_064, 6_048), bomb_png(8_000, 8_000)  # made before the spy
    decoded = []
    # Pixel data is never decoded here (fast); the limit is read from the header.
    monkeypatch.setattr(Image.Image, "load", lambda self: decoded.append(self) or None)
    assert images.max_pixels() == 64_000_000
    with pytest.raises(images.ImageTooLarge):
        images.check_image(upload(over))  # just over 64 MP
    assert not decoded  # refused from the header
    assert images.check_image(upload(phone)).width == 8_064  # 48.8 MP: a real 48/50 MP phone photo
    assert images.check_image(upload(at_limit)).width == 8_000  # exactly 64 MP: at the limit


def test_pillows_own_guard_is_set_to_the_same_limit_and_its_warning_is_an_error():
    assert Image.MAX_IMAGE_PIXELS == images.max_pixels()
    bomb = bomb_png(10_000, 10_000)  # 100 MP: over the limit, under Pillow's hard error at twice it
    # pytest resets warning filters per test; apply ours as the app does at start-up.
    with warnings.catch_warnings():
        images.configure_pillow()
        with pytest.raises(Image.DecompressionBombWarning):
            Image.open(io.BytesIO(bomb))


def test_a_file_that_is_not_an_image_is_unreadable_not_too_large():
    with pytest.raises(images.ImageUnreadable):
        images.check_image(upload(b"GIF89a but not really", "x.png"))


def test_the_photo_check_says_too_many_pixels_in_the_forms_language():
    with pytest.raises(ValidationError) as refused:
        check_photo(upload(bomb_png()))
    assert refused.value.code == "image_too_large"
    assert check_photo(upload(small_png())).name == "photo.png"


def test_reading_a_qr_code_from_a_bomb_is_refused_with_the_clear_error():
    with pytest.raises(ApplicationError) as refused:
        citycode.read_codes_from_image(io.BytesIO(bomb_png()))
    assert refused.value.code == "image_too_large"
    with pytest.raises(citycode.UnreadableImage):
        citycode.read_codes_from_image(io.BytesIO(b"not an image"))


@pytest.mark.django_db
def test_the_refusal_is_in_chinese_first_with_english_available(api_as, insider):
    from django.utils import translation

    with translation.override("zh-hans"):
        chinese = images.ImageTooLarge("a.png", 100_000_000).message
    with translation.override("en"):
        english = images.ImageTooLarge("a.png", 100_000_000).message
    assert "像素" in chinese and "pixels" in english


@pytest.mark.django_db
def test_the_city_code_scan_endpoint_refuses_a_bomb_with_400(api_as, insider):
    response = api_as(insider).post("/api/gbcp/citycode/scan/", {"photo": upload(bomb_png(), "label.png")}, format="multipart")
    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"] in {"image_too_large", "invalid"}
