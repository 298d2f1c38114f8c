"""One check for every uploaded photo: really an image (decoded by Pillow), not too big, an allowed format."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image

ALLOWED_FORMATS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}
MAX_PIXELS = 50_000_000  # larger is a decompression bomb, not a phone photo


def check_photo(upload, *, max_bytes=None):
    """Return the upload renamed after its real format, or raise ValidationError with a clear message."""
    max_bytes = max_bytes or settings.CITIZEN_PHOTO_MAX_BYTES
    name = getattr(upload, "name", "photo")
    if upload.size > max_bytes:
        raise ValidationError(
            _("“%(name)s” is too large (%(size)s; at most %(max)s).")
            % {"name": name, "size": filesizeformat(upload.size), "max": filesizeformat(max_bytes)},
            code="too_large",
        )
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            fmt = image.format
            if image.width * image.height > MAX_PIXELS:
                raise ValueError("too many pixels")
            image.verify()
        # verify() leaves the image unusable; a full decode catches truncated JPEGs too.
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
    except Exception:
        raise ValidationError(_("“%(name)s” is not a photo we can read.") % {"name": name}, code="not_an_image")
    if fmt not in ALLOWED_FORMATS:
        raise ValidationError(_("“%(name)s”: only JPEG, PNG or WebP photos.") % {"name": name}, code="bad_format")
    upload.seek(0)
    # The stored name follows the real format, never the name the client sent.
    upload.name = "photo" + ALLOWED_FORMATS[fmt]
    return upload
