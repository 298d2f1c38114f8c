"""Fixtures of the citizen portal: a scratch MEDIA_ROOT and real images made with Pillow (tests/conftest.py clears the rate-limit counters)."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def image_bytes(fmt="PNG", size=(64, 48), noise=False):
    image = Image.new("RGB", size, (200, 80, 40))
    if noise:
        image = Image.effect_noise(size, 80).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format=fmt)
    return buffer.getvalue()


@pytest.fixture
def png():
    def make(name="photo.png", **kwargs):
        return SimpleUploadedFile(name, image_bytes("PNG", **kwargs), content_type="image/png")

    return make


@pytest.fixture
def dhm_point():
    from apps.gbcp.models import Region

    return Region.objects.get(code="110101001").boundary.point_on_surface
