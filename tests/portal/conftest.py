"""Fixtures of the citizen portal: a scratch MEDIA_ROOT, a clean rate-limit window, real images made with Pillow."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from apps.portal import services


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture(autouse=True)
def fresh_rate_window():
    services.report_rate_reset(ip="127.0.0.1")
    yield
    services.report_rate_reset(ip="127.0.0.1")


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
