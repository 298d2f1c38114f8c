"""One check for every uploaded photo: really an image (decoded by Pillow within the pixel limit), not too big, an allowed format."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from apps.gbcp.images import ImageTooLarge, ImageUnreadable, check_image

ALLOWED_FORMATS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}


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
        fmt = check_image(upload).format
    except ImageTooLarge as exc:
        raise ValidationError(exc.message, code="image_too_large")
    except ImageUnreadable:
        raise ValidationError(_("“%(name)s” is not a photo we can read.") % {"name": name}, code="not_an_image")
    if fmt not in ALLOWED_FORMATS:
        raise ValidationError(_("“%(name)s”: only JPEG, PNG or WebP photos.") % {"name": name}, code="bad_format")
    upload.seek(0)
    # The stored name follows the real format, never the name the client sent.
    upload.name = "photo" + ALLOWED_FORMATS[fmt]
    return upload
