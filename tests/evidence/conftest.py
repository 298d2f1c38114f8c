"""Fixtures of evidence preservation: generated photos (with EXIF), files that lie about their type, a private media root."""
import io
import shutil

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def make_jpeg(*, color=(200, 30, 30), size=(32, 24), exif=None, seed=0):
    image = Image.new("RGB", size, color)
    # A distinct pixel per seed: every photo has its own hash.
    image.putpixel((seed % size[0], (seed // size[0]) % size[1]), (seed % 251, 7, 99))
    buf = io.BytesIO()
    kwargs = {"format": "JPEG", "quality": 90}
    if exif is not None:
        kwargs["exif"] = exif
    image.save(buf, **kwargs)
    return buf.getvalue()


def exif_with(*, when="2026:11:20 09:15:00", lat=(39, 54, 15.12), lon=(116, 23, 51.36), make="Huawei", model="P60"):
    exif = Image.Exif()
    exif[271] = make
    exif[272] = model
    exif.get_ifd(0x8769)[36867] = when
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", lat, "E", lon
    return exif


@pytest.fixture
def photo():
    counter = iter(range(1, 10**6))

    def make(name="scene.jpg", **kwargs):
        kwargs.setdefault("seed", next(counter) * 37)
        return SimpleUploadedFile(name, make_jpeg(**kwargs), content_type="image/jpeg")

    return make


@pytest.fixture
def media_root(settings, tmp_path):
    """A private copy of the media root: tampering in one test never touches the shared files."""
    root = tmp_path / "media"
    source = django_settings.MEDIA_ROOT
    if (source / "evidence").exists():
        shutil.copytree(source / "evidence", root / "evidence")
    root.mkdir(exist_ok=True)
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def dc_task(db):
    from apps.dispatch.models import Task

    return Task.objects.filter(region_code__startswith="110101").order_by("id").first()


@pytest.fixture
def hd_task(db):
    from apps.dispatch.models import Task

    return Task.objects.filter(region_code__startswith="110108").order_by("id").first()
