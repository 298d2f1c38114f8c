"""Error pages: JSON under /api/ (the one error format) and /open311/ (Open311's own), HTML elsewhere."""
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults

from apps.gbcp.api.errors import json_error_response


def _open311(status, message):
    return JsonResponse([{"code": status, "description": str(message)}], status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def _machine_answer(request, code, message, status):
    """The JSON answer for machine paths, or None for pages."""
    if request.path.startswith("/api/"):
        return json_error_response(code, message, status)
    if request.path.startswith("/open311/"):
        return _open311(status, message)
    return None


def bad_request(request, exception):
    # Django answers a body over DATA_UPLOAD_MAX_MEMORY_SIZE (and too many fields) here, before any view.
    if isinstance(exception, RequestDataTooBig):
        answer = _machine_answer(request, "too_large", _("The request body is too large."), 413)
    else:
        answer = _machine_answer(request, "bad_request", _("The request cannot be read."), 400)
    return answer or defaults.bad_request(request, exception)


def page_not_found(request, exception):
    return _machine_answer(request, "not_found", _("Not found."), 404) or defaults.page_not_found(request, exception)


def server_error(request):
    return _machine_answer(request, "server_error", _("Internal server error."), 500) or defaults.server_error(request)
