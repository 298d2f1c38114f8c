"""Real image files for tests of the image check: a decompression bomb (a tiny PNG of 100 megapixels) and a normal photo."""
import functools
import io

from PIL import Image


@functools.lru_cache(maxsize=4)
def bomb_png(width: int = 10_000, height: int = 10_000) -> bytes:
    """A genuine PNG, about 12 KB on disk, that decodes to width×height pixels (100 MP by default)."""
    buffer = io.BytesIO()
    Image.new("1", (width, height)).save(buffer, format="PNG")
    return buffer.getvalue()


def small_png(size=(40, 30), color=(30, 160, 60)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()
