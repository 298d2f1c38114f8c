"""The one way an uploaded image is opened: Pillow with a pixel limit, so a decompression bomb is refused before it is decoded."""
import re
import warnings
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from apps.gbcp.errors import ApplicationError

DEFAULT_MAX_PIXELS = 64_000_000  # a 48/50 MP phone photo is 8064×6048 ≈ 48.8 MP; well beyond 64 MP it is a bomb, not a photo


def max_pixels() -> int:
    return int(getattr(settings, "IMAGE_MAX_PIXELS", DEFAULT_MAX_PIXELS))


class ImageTooLarge(ApplicationError):
    """More pixels than any photo we take: decoding it would take gigabytes of memory (a decompression bomb)."""

    def __init__(self, name: str, pixels: int | None = None):
        limit_mp = max_pixels() / 1_000_000
        if pixels:
            message = _("“%(name)s” has too many pixels (%(pixels).0f megapixels; at most %(max).0f).") % {
                "name": name, "pixels": pixels / 1_000_000, "max": limit_mp}
        else:
            message = _("“%(name)s” has too many pixels (at most %(max).0f megapixels).") % {"name": name, "max": limit_mp}
        super().__init__(message, code="image_too_large", details={"file": [message]})


class ImageUnreadable(ApplicationError):
    def __init__(self, name: str):
        message = _("“%(name)s” is not an image we can read.") % {"name": name}
        super().__init__(message, code="image_unreadable", details={"file": [message]})


@dataclass
class ImageInfo:
    format: str | None
    width: int
    height: int


def configure_pillow() -> None:
    """Pillow's own guard at our limit, its warning made an error (for any Image.open outside this module, e.g. DRF's ImageField)."""
    Image.MAX_IMAGE_PIXELS = max_pixels()
    warnings.filterwarnings("error", category=Image.DecompressionBombWarning)


def _name(fileobj) -> str:
    return str(getattr(fileobj, "name", "") or "image").rsplit("/", 1)[-1]


@contextmanager
def open_image(fileobj):
    """Image.open that refuses a bomb by its header, before any pixel is decoded; rewinds the file before and after."""
    name = _name(fileobj)
    fileobj.seek(0)
    try:
        image = Image.open(fileobj)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        # Pillow's own guard (twice our limit) fired first; its message carries the pixel count.
        fileobj.seek(0)
        found = re.search(r"\((\d+) pixels\)", str(exc))
        raise ImageTooLarge(name, int(found.group(1)) if found else None)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
        fileobj.seek(0)
        raise ImageUnreadable(name)
    try:
        # "with", not close(): close() would also close the caller's file.
        with image:
            pixels = image.width * image.height
            if pixels > max_pixels() or pixels <= 0:
                raise ImageTooLarge(name, pixels) if pixels > 0 else ImageUnreadable(name)
            yield image
    finally:
        fileobj.seek(0)


def check_image(fileobj) -> ImageInfo:
    """Decode the whole image once (within the pixel limit): a renamed, truncated or bomb file is refused."""
    name = _name(fileobj)
    with open_image(fileobj) as image:
        info = ImageInfo(format=image.format, width=image.width, height=image.height)
        try:
            # verify() must come straight after open (PNG), before anything reads the image.
            image.verify()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ImageTooLarge(name)
        except Exception:  # noqa: BLE001 - Pillow raises many kinds for a broken file
            raise ImageUnreadable(name)
    with open_image(fileobj) as image:
        try:
            image.load()  # verify() misses truncated JPEGs; a full decode does not
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ImageTooLarge(name)
        except Exception:  # noqa: BLE001
            raise ImageUnreadable(name)
    return info
