"""WSGI entry point for servers that take device traffic: the ingestion endpoints without the site's middleware.

Devices have no session, cookie, CSRF token, message or page: the project's middleware (sessions,
CSRF, locale, messages, history, static files, security headers) costs about 0.45 ms of CPU per
request, a fifth of an OsmAnd request. Here the three ingestion paths run through a Django handler
with no middleware except the language of error messages (from Accept-Language, as the API does);
every other path goes to the project's own WSGI application, unchanged. Serve it with
``gunicorn apps.devices.wsgi:application`` (docs/DEVICES.md, production layout).
"""
import os

from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIHandler
from django.core.wsgi import get_wsgi_application
from django.urls import resolve, reverse
from django.utils import translation

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cityenforce.settings")
django_application = get_wsgi_application()  # sets Django up

INGESTION_URL_NAMES = ("api-device-osmand", "api-device-positions", "api-device-noise")


def _language(get_response):
    def middleware(request):
        # Error messages in the caller's language, as LocaleMiddleware does for /api/ (Chinese by default).
        if request.META.get("HTTP_ACCEPT_LANGUAGE"):
            translation.activate(translation.get_language_from_request(request))
        else:
            translation.deactivate()
        return get_response(request)

    return middleware


class IngestionHandler(WSGIHandler):
    """Django's WSGI handler (signals, error pages) with a middleware chain of one and the three routes resolved once."""

    def load_middleware(self, is_async=False):
        self._view_middleware = []
        self._template_response_middleware = []
        self._exception_middleware = []
        self._middleware_chain = convert_exception_to_response(_language(convert_exception_to_response(self._get_response)))
        self._routes = {}

    def resolve_request(self, request):
        match = self._routes.get(request.path_info)
        if match is None:
            match = self._routes[request.path_info] = resolve(request.path_info)  # walks the project's URL tree once per path
        request.resolver_match = match
        return match


ingestion_application = IngestionHandler()
INGESTION_PATHS = frozenset(reverse(name) for name in INGESTION_URL_NAMES)


def application(environ, start_response):
    if environ.get("PATH_INFO") in INGESTION_PATHS:
        return ingestion_application(environ, start_response)
    return django_application(environ, start_response)
