"""What an evidence file really is (by its bytes, not its name), its SHA-256, and what its EXIF says."""
import datetime as dt
import hashlib
import os
from dataclasses import dataclass, field

import filetype
from django.conf import settings
from django.contrib.gis.geos import Point
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.gbcp.errors import ApplicationError
from apps.gbcp.images import ImageTooLarge, ImageUnreadable, check_image, open_image

DEFAULT_MAX_BYTES = 200 * 1024 * 1024

# media type -> (kind, stored extension)
ALLOWED = {
    "image/jpeg": ("photo", ".jpg"),
    "image/png": ("photo", ".png"),
    "image/webp": ("photo", ".webp"),
    "image/heic": ("photo", ".heic"),
    "video/mp4": ("video", ".mp4"),
    "video/quicktime": ("video", ".mov"),
    "video/webm": ("video", ".webm"),
    "application/pdf": ("document", ".pdf"),
}
# Extension the client claims -> the media types that may stand behind it.
EXTENSIONS = {
    ".jpg": {"image/jpeg"}, ".jpeg": {"image/jpeg"}, ".png": {"image/png"}, ".webp": {"image/webp"},
    ".heic": {"image/heic"}, ".heif": {"image/heic"},
    # Phones write MP4 and QuickTime with the same ISO box layout and mix up the names.
    ".mp4": {"video/mp4", "video/quicktime"}, ".m4v": {"video/mp4", "video/quicktime"}, ".mov": {"video/quicktime", "video/mp4"},
    ".webm": {"video/webm"}, ".pdf": {"application/pdf"},
}
# MPO is a JPEG with extra frames (stereo and some phone cameras); it is a JPEG file.
PILLOW_FORMATS = {"JPEG": "image/jpeg", "MPO": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "HEIF": "image/heic"}


def max_bytes() -> int:
    return int(getattr(settings, "EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES))


@dataclass
class Checked:
    media_type: str
    kind: str
    extension: str
    sha256: str
    size: int
    original_name: str
    exif: dict = field(default_factory=dict)


def _unsupported(name, what=None):
    return ApplicationError(
        _("“%(name)s”: this kind of file is not accepted as evidence (photos JPEG/PNG/WebP, videos MP4/MOV/WebM, PDF documents).") % {"name": name},
        code="evidence_type_unsupported", details={"file": [what or _("unsupported file type")]},
    )


def _mismatch(name, claimed, found):
    return ApplicationError(
        _("“%(name)s” is not what its name says: it claims %(claimed)s but the content is %(found)s.") % {"name": name, "claimed": claimed, "found": found},
        code="evidence_type_mismatch", details={"file": [_("content does not match the file type")]},
    )


def _hash(upload) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    upload.seek(0)
    for chunk in upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(1 << 20), b""):
        digest.update(chunk)
        size += len(chunk)
    upload.seek(0)
    return digest.hexdigest(), size


def _sniff(head: bytes) -> str | None:
    kind = filetype.guess(head)
    mime = kind.mime if kind else None
    if mime in {"image/heif"}:
        mime = "image/heic"
    if mime in {"video/x-m4v"}:
        mime = "video/mp4"
    if mime is None and head[:5] == b"%PDF-":
        mime = "application/pdf"
    return mime


def check_file(upload, *, kind: str | None = None) -> Checked:
    """Return what the file is, or raise ApplicationError(evidence_type_mismatch / evidence_type_unsupported / evidence_too_large)."""
    name = os.path.basename(getattr(upload, "name", "") or "") or "file"
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes():
        raise ApplicationError(
            _("“%(name)s” is too large (%(size)s; at most %(max)s).") % {"name": name, "size": filesizeformat(size), "max": filesizeformat(max_bytes())},
            code="evidence_too_large", details={"file": [_("file too large")]},
        )
    if not size:
        raise ApplicationError(_("“%(name)s” is empty.") % {"name": name}, code="evidence_empty", details={"file": [_("empty file")]})
    ext = os.path.splitext(name)[1].lower()
    if ext and ext not in EXTENSIONS:
        raise _unsupported(name)
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    found = _sniff(head)
    if found not in ALLOWED:
        if ext:
            raise _mismatch(name, ext.lstrip(".").upper(), found or _("not a recognised format"))
        raise _unsupported(name)
    if ext and found not in EXTENSIONS[ext]:
        raise _mismatch(name, ext.lstrip(".").upper(), found)
    found_kind = ALLOWED[found][0]
    if kind and kind != found_kind:
        raise _mismatch(name, kind, found)
    exif = {}
    if found_kind == "photo":
        found, exif = _check_image(upload, name, found)
    elif found.startswith("video/") and found != "video/webm" and head[4:8] != b"ftyp":
        raise _mismatch(name, ext.lstrip(".").upper() or found, _("not an ISO media file"))
    elif found == "application/pdf" and head[:5] != b"%PDF-":
        raise _mismatch(name, "PDF", found)
    sha256, real_size = _hash(upload)
    if real_size > max_bytes():
        raise ApplicationError(_("“%(name)s” is too large.") % {"name": name}, code="evidence_too_large", details={"file": [_("file too large")]})
    return Checked(media_type=found, kind=found_kind, extension=ALLOWED[found][1], sha256=sha256, size=real_size, original_name=name[:255], exif=exif)


def _check_image(upload, name, found):
    try:
        fmt = check_image(upload).format
        with open_image(upload) as image:
            exif = read_exif(image)
    except ImageTooLarge:
        raise  # a decompression bomb says so, in the one format (400 image_too_large)
    except ImageUnreadable:
        if found == "image/heic":
            raise _unsupported(name, _("HEIC photos cannot be read on this server"))
        raise _mismatch(name, found, _("an image that cannot be decoded"))
    finally:
        upload.seek(0)
    if PILLOW_FORMATS.get(fmt) != found:
        raise _mismatch(name, found, fmt or "?")
    return found, exif


# --- EXIF -------------------------------------------------------------------------------

EXIF_IFD, GPS_IFD = 0x8769, 0x8825
TAG_MAKE, TAG_MODEL = 271, 272
TAG_DATETIME_ORIGINAL, TAG_OFFSET_ORIGINAL = 36867, 36881


def _rational(v) -> float:
    try:
        return float(v)
    except TypeError:
        return v[0] / v[1]


def _dms(values, ref) -> float | None:
    try:
        d, m, s = (_rational(x) for x in values)
    except Exception:
        return None
    deg = d + m / 60 + s / 3600
    return -deg if ref in {"S", "W", b"S", b"W"} else deg


def read_exif(image) -> dict:
    """captured_at (aware datetime), point (GEOS, WGS-84) and device (make model) when the photo carries them."""
    out = {}
    try:
        exif = image.getexif()
    except Exception:
        return out
    if not exif:
        return out
    make = str(exif.get(TAG_MAKE) or "").strip("\x00 ").strip()
    model = str(exif.get(TAG_MODEL) or "").strip("\x00 ").strip()
    device = " ".join(p for p in (make, model if not model.startswith(make) or not make else model[len(make):].strip()) if p)
    if device:
        out["device"] = device[:200]
    sub = exif.get_ifd(EXIF_IFD)
    raw = sub.get(TAG_DATETIME_ORIGINAL) or exif.get(306)
    if raw:
        try:
            naive = dt.datetime.strptime(str(raw).strip("\x00 ")[:19], "%Y:%m:%d %H:%M:%S")
            offset = str(sub.get(TAG_OFFSET_ORIGINAL) or "").strip("\x00 ")
            if offset and len(offset) == 6 and offset[0] in "+-":
                delta = dt.timedelta(hours=int(offset[1:3]), minutes=int(offset[4:6]))
                out["captured_at"] = naive.replace(tzinfo=dt.timezone(delta if offset[0] == "+" else -delta))
            else:
                out["captured_at"] = timezone.make_aware(naive)  # the camera's clock: assume local time
        except (ValueError, OverflowError):
            pass
    gps = exif.get_ifd(GPS_IFD)
    if gps and 2 in gps and 4 in gps:
        lat, lon = _dms(gps[2], gps.get(1)), _dms(gps[4], gps.get(3))
        if lat is not None and lon is not None and -90 <= lat <= 90 and -180 <= lon <= 180 and (lat or lon):
            out["point"] = Point(lon, lat, srid=4326)
    return out
