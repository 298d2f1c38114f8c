"""Files: those written inside a transaction leave with it; protected files are sent only by views that checked access.

Files written inside a transaction leave with it: a file saved in an atomic block that rolls back is deleted.

Django has on_commit but no on_rollback. What it does have is the rule that a callback registered
with ``on_commit`` inside a block is dropped when that block (the outermost transaction, or a
savepoint) rolls back: ``run_on_commit`` is then rebuilt without it. So each saved file gets a small
keeper registered with ``on_commit``; committing calls it (the file stays), a rollback drops it, and
dropping it, with no one else holding it, runs ``weakref.finalize``, which deletes the file. The
write itself happens at once, so a full disk still fails the transaction instead of a committed row
pointing at nothing.

Outside any atomic block (autocommit) nothing can roll back, so the file simply stays.
"""
import io
import logging
import mimetypes
import os
import posixpath
import tempfile
import weakref
from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, transaction
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header
from PIL import Image, ImageOps

from apps.gbcp.errors import ApplicationError
from apps.gbcp.images import open_image

logger = logging.getLogger("cityenforce.files")


class _Keeper:
    """Registered with on_commit; calling it means the transaction committed. Holds nothing that refers back to it."""

    __slots__ = ("state", "__weakref__")

    def __init__(self, state: dict):
        self.state = state

    def __call__(self):
        self.state["committed"] = True


def _discard_unless_committed(state: dict, storage, name: str) -> None:
    if state.get("committed"):
        return
    try:
        storage.delete(name)
    except Exception:  # a finaliser must not raise; the orphan check of the evidence command finds what is left
        logger.exception("could not delete %s after its transaction rolled back", name)


def delete_on_rollback(name: str, *, storage=None, using: str | None = None) -> str:
    """Delete the stored file ``name`` if the current transaction (or savepoint) rolls back; returns ``name``."""
    storage = storage or default_storage
    connection = transaction.get_connection(using or DEFAULT_DB_ALIAS)
    if not connection.in_atomic_block:
        return name
    state = {"committed": False}
    keeper = _Keeper(state)
    weakref.finalize(keeper, _discard_unless_committed, state, storage, name)
    transaction.on_commit(keeper, using=using)
    return name


def save_file_atomic(name: str, content, *, storage=None, using: str | None = None) -> str:
    """``storage.save(name, content)`` whose file is removed again if the surrounding transaction rolls back."""
    storage = storage or default_storage
    saved = storage.save(name, content)
    return delete_on_rollback(saved, storage=storage, using=using)


def save_field_file_atomic(field_file, name: str, content, *, using: str | None = None) -> str:
    """``instance.<file field>.save(name, content, save=False)`` with the same rollback guarantee; returns the stored name."""
    field_file.save(name, content, save=False)
    return delete_on_rollback(field_file.name, storage=field_file.storage, using=using)


# --- protected files: sent only by a view that has checked who asks ------------------------------------------------
#
# Nothing under MEDIA_ROOT has a public URL. A view decides who may see a file, then hands it to ``send_file``:
# in production the web server sends the bytes (``settings.PROTECTED_FILES_ACCEL``, e.g. "/protected/", an nginx
# ``internal`` location aliased to MEDIA_ROOT: we answer with X-Accel-Redirect and no body); otherwise Django streams
# the file itself. Either way the answer is private to the caller and never sniffed into another type.

THUMB_DIR = "thumbs"
THUMB_QUALITY = 82
VIEWABLE_TYPES = {"application/pdf", "image/jpeg", "image/png", "image/webp", "image/gif"}


@dataclass(frozen=True)
class StoredFile:
    """A file in a storage by name: what ``thumbnail`` returns and ``send_file`` accepts (as it accepts a FieldFile)."""

    name: str
    storage: object


def _download_name(field_file, download_name):
    return download_name or posixpath.basename(field_file.name or "") or "file"


def _accel_location(name: str) -> str:
    prefix = settings.PROTECTED_FILES_ACCEL
    return prefix.rstrip("/") + "/" + quote(name.lstrip("/"), safe="/")


def send_file(request, field_file, *, content_type=None, download_name=None, inline=True) -> HttpResponse:
    """The file's answer to a request that has already been allowed; a missing file is a 404 like any other.

    ``field_file``: a FieldFile (``photo.image``) or a ``StoredFile``. ``download_name``: the name the browser
    shows or saves under (UTF-8 allowed; quoted safely), the stored name's last part by default.
    """
    name = getattr(field_file, "name", "") or ""
    storage = getattr(field_file, "storage", None) or default_storage
    if not name or not storage.exists(name):
        raise Http404
    filename = _download_name(field_file, download_name)
    content_type = content_type or mimetypes.guess_type(filename)[0] or mimetypes.guess_type(name)[0] or "application/octet-stream"
    if getattr(settings, "PROTECTED_FILES_ACCEL", ""):
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = _accel_location(name)
    else:
        response = FileResponse(storage.open(name, "rb"), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    if content_type not in VIEWABLE_TYPES:
        # Whatever else a file holds (an uploaded HTML or SVG), it runs nothing in our origin when opened on its own.
        # (Not on PDFs: browsers refuse to show a PDF in a sandboxed document.)
        response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    return response


def _thumb_name(name: str, size: int, fmt: str) -> str:
    stem = posixpath.splitext(name)[0]
    return f"{THUMB_DIR}/{size}/{stem}.{'webp' if fmt == 'WEBP' else 'jpg'}"


def _render_thumbnail(source, size: int):
    """Bytes and format of the picture at most ``size`` pixels on its long side, upright (EXIF), never enlarged."""
    with open_image(source) as image:
        image.draft("RGB", (size, size))  # JPEG: decode at a reduced scale, much faster on phone photos
        image = ImageOps.exif_transpose(image)
        has_alpha = image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info)
        fmt = "WEBP" if has_alpha else "JPEG"
        image = image.convert("RGBA" if has_alpha else "RGB")
        image.thumbnail((size, size), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        image.save(out, format=fmt, quality=THUMB_QUALITY, **({"optimize": True} if fmt == "JPEG" else {}))
    return out.getvalue(), fmt


def _existing_thumb(storage, name: str, size: int, source_mtime):
    for fmt in ("JPEG", "WEBP"):
        thumb = _thumb_name(name, size, fmt)
        if storage.exists(thumb) and storage.get_modified_time(thumb) >= source_mtime:
            return thumb
    return None


def _write_thumb(storage, thumb: str, data: bytes) -> None:
    try:
        path = storage.path(thumb)
    except NotImplementedError:  # a remote storage: replace through its own API
        if storage.exists(thumb):
            storage.delete(thumb)
        storage.save(thumb, ContentFile(data))
        return
    os.makedirs(os.path.dirname(path), exist_ok=True)
    # Written beside, then renamed: two requests making the same thumbnail never show a half-written file.
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".thumb-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def thumbnail(field_file, size: int) -> StoredFile:
    """A small copy of an image, made once and kept under MEDIA_ROOT/thumbs/<size>/; made again when the image changes.

    A thumbnail older than its image is stale (the image was replaced), so it is rendered anew.
    """
    name = field_file.name
    storage = getattr(field_file, "storage", None) or default_storage
    if not name or not storage.exists(name):
        raise Http404
    source_mtime = storage.get_modified_time(name)
    existing = _existing_thumb(storage, name, size, source_mtime)
    if existing is not None:
        return StoredFile(existing, storage)
    with storage.open(name, "rb") as source:
        data, fmt = _render_thumbnail(source, size)
    thumb = _thumb_name(name, size, fmt)
    _write_thumb(storage, thumb, data)
    return StoredFile(thumb, storage)


def send_image(request, field_file, *, download_name=None) -> HttpResponse:
    """``send_file`` for a photo: the full image, or with ``?size=thumb`` its thumbnail (``settings.THUMBNAIL_SIZE``)."""
    if request is not None and request.GET.get("size") == "thumb":
        try:
            thumb = thumbnail(field_file, settings.THUMBNAIL_SIZE)
        except ApplicationError:  # not an image Pillow can read: the original, which the browser may still show
            logger.warning("no thumbnail of %s", field_file.name, exc_info=True)
        else:
            stem = posixpath.splitext(_download_name(field_file, download_name))[0]
            return send_file(request, thumb, download_name=f"{stem}-thumb{posixpath.splitext(thumb.name)[1]}")
    return send_file(request, field_file, download_name=download_name)
