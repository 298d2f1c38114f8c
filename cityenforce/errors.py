"""Error pages: JSON in the one error format under /api/, HTML elsewhere."""
from django.utils.translation import gettext as _
from django.views import defaults

from apps.gbcp.api.errors import json_error_response


def page_not_found(request, exception):
    if request.path.startswith("/api/"):
        return json_error_response("not_found", _("Not found."), 404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if request.path.startswith("/api/"):
        return json_error_response("server_error", _("Internal server error."), 500)
    return defaults.server_error(request)
