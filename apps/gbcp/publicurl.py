"""Absolute URLs for what leaves the screen (QR codes on printed documents, links in SMS): the configured public
address, else the address the current request came in on, else the local default.

``PUBLIC_BASE_URL`` (or a more specific setting a caller names first) wins: behind a proxy, or for documents made by
a command or a worker, only it is right. Without it, a document made while serving a request points back to the
host that request used (checked against ALLOWED_HOSTS by Django), not to 127.0.0.1."""
from contextvars import ContextVar

from django.conf import settings

LOCAL_DEFAULT = "http://127.0.0.1:8000"
_request_base: ContextVar[str] = ContextVar("cityenforce_request_base", default="")


def base_url(*setting_names: str) -> str:
    """The first of the named settings that is set, then PUBLIC_BASE_URL, the request's own address, the default."""
    for name in (*setting_names, "PUBLIC_BASE_URL"):
        value = getattr(settings, name, "") or ""
        if value:
            return value.rstrip("/")
    return _request_base.get() or LOCAL_DEFAULT


def absolute(path: str, *setting_names: str) -> str:
    return base_url(*setting_names) + path


class RequestBaseMiddleware:
    """Remembers the current request's scheme and host (already validated by Django) for ``base_url``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            base = f"{request.scheme}://{request.get_host()}"
        except Exception:  # noqa: BLE001 - a disallowed host is answered by Django's own 400 later; no base then
            base = ""
        token = _request_base.set(base)
        try:
            return self.get_response(request)
        finally:
            _request_base.reset(token)
