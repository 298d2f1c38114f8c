"""The protected-file helper: who may see a file is the view's business; how it is sent (by Django or by the web
server through X-Accel-Redirect), its headers, and thumbnails made once, upright, never enlarged, remade on change."""
import io
import os
import time

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.http import Http404
from django.test import RequestFactory
from PIL import Image

from apps.gbcp.files import StoredFile, send_file, send_image, thumbnail


@pytest.fixture
def storage(tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.PROTECTED_FILES_ACCEL = ""
    return FileSystemStorage(location=tmp_path)


def jpeg(size=(1200, 900), color=(40, 120, 200), exif_orientation=None) -> bytes:
    image = Image.new("RGB", size, color)
    # A marker in the top-left corner, to see where it ends up after rotation.
    image.paste((255, 0, 0), (0, 0, size[0] // 4, size[1] // 4))
    out = io.BytesIO()
    if exif_orientation:
        exif = Image.Exif()
        exif[0x0112] = exif_orientation
        image.save(out, format="JPEG", exif=exif.tobytes())
    else:
        image.save(out, format="JPEG")
    return out.getvalue()


def stored(storage, name, data) -> StoredFile:
    return StoredFile(storage.save(name, ContentFile(data)), storage)


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_django_streams_the_file_with_private_nosniff_headers_and_a_safe_utf8_name(storage):
    f = stored(storage, "docs/a.pdf", b"%PDF-1.4 test")
    response = send_file(RequestFactory().get("/x"), f, content_type="application/pdf", download_name='处罚决定书 "x".pdf')
    assert response.status_code == 200 and body(response) == b"%PDF-1.4 test"
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"].startswith("private")
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("inline;") and "filename*=utf-8''" in disposition and "%E5%A4%84" in disposition
    assert '"x"' not in disposition  # the quote cannot end the header value
    assert "X-Accel-Redirect" not in response


def test_with_the_accel_setting_the_web_server_sends_it_and_the_answer_has_no_body(storage, settings):
    settings.PROTECTED_FILES_ACCEL = "/protected/"
    f = stored(storage, "tasks/ABC/p 1.jpg", jpeg((50, 40)))
    response = send_file(RequestFactory().get("/x"), f, inline=False)
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == "/protected/tasks/ABC/p%201.jpg"
    assert response["Content-Type"] == "image/jpeg" and response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"].startswith("private") and response["X-Content-Type-Options"] == "nosniff"


def test_a_missing_file_is_a_404_and_an_html_file_is_sandboxed(storage):
    with pytest.raises(Http404):
        send_file(RequestFactory().get("/x"), StoredFile("nope/missing.jpg", storage))
    page = stored(storage, "up/page.html", b"<script>alert(1)</script>")
    response = send_file(RequestFactory().get("/x"), page)
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_thumbnail_is_bounded_never_enlarged_and_kept_beside_the_media(storage, tmp_path):
    big = stored(storage, "tasks/T1/big.jpg", jpeg((1200, 900)))
    thumb = thumbnail(big, 320)
    assert thumb.name == "thumbs/320/tasks/T1/big.jpg" and (tmp_path / thumb.name).is_file()
    with Image.open(tmp_path / thumb.name) as image:
        assert image.format == "JPEG" and image.size == (320, 240)
    small = stored(storage, "tasks/T1/small.jpg", jpeg((200, 100)))
    with Image.open(tmp_path / thumbnail(small, 320).name) as image:
        assert image.size == (200, 100)  # never upscaled


def test_exif_orientation_is_respected(storage, tmp_path):
    # Orientation 6: the camera was turned; the picture must be shown rotated 90° clockwise.
    turned = stored(storage, "tasks/T2/turned.jpg", jpeg((800, 400), exif_orientation=6))
    with Image.open(tmp_path / thumbnail(turned, 320).name) as image:
        assert image.size == (160, 320)
        # The red marker (top-left of the stored pixels) is now top-right.
        assert image.getpixel((150, 5))[0] > 200 and image.getpixel((5, 5))[0] < 120


def test_a_transparent_picture_gets_a_webp_thumbnail(storage, tmp_path):
    out = io.BytesIO()
    Image.new("RGBA", (600, 600), (0, 0, 0, 0)).save(out, format="PNG")
    thumb = thumbnail(stored(storage, "tasks/T3/clear.png", out.getvalue()), 320)
    assert thumb.name.endswith(".webp")
    with Image.open(tmp_path / thumb.name) as image:
        assert image.format == "WEBP" and image.mode == "RGBA"


def test_the_thumbnail_is_made_once_and_made_again_when_the_image_changes(storage, tmp_path):
    photo = stored(storage, "tasks/T4/p.jpg", jpeg((1000, 500), color=(0, 0, 255)))
    first = thumbnail(photo, 320)
    path = tmp_path / first.name
    made_at = path.stat().st_mtime_ns
    time.sleep(0.02)
    assert thumbnail(photo, 320).name == first.name and path.stat().st_mtime_ns == made_at  # cached: not rendered again

    # The image is replaced (same name, newer file): the stale thumbnail is rendered anew.
    source = tmp_path / photo.name
    source.write_bytes(jpeg((1000, 1000), color=(0, 255, 0)))
    later = time.time() + 5
    os.utime(source, (later, later))
    again = thumbnail(photo, 320)
    with Image.open(tmp_path / again.name) as image:
        assert image.size == (320, 320) and image.getpixel((300, 300))[1] > 200


def test_send_image_answers_the_thumbnail_when_asked(storage, tmp_path):
    photo = stored(storage, "tasks/T5/p.jpg", jpeg((1200, 900)))
    full = send_image(RequestFactory().get("/x"), photo, download_name="T1-报告-1.jpg")
    thumb = send_image(RequestFactory().get("/x", {"size": "thumb"}), photo, download_name="T1-报告-1.jpg")
    with Image.open(io.BytesIO(body(full))) as image:
        assert image.size == (1200, 900)
    with Image.open(io.BytesIO(body(thumb))) as image:
        assert image.size == (320, 240)
    assert "thumb" in thumb["Content-Disposition"]
