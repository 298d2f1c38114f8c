"""Language choice (Chinese first for pages, the caller's Accept-Language for the API) and refusing NUL characters."""
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from apps.gbcp.api.params import carries_nul
from cityenforce.errors import bad_request


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Pages are in zh-hans unless the user chose another language (cookie); the API honours Accept-Language."""

    def process_request(self, request):
        if request.path.startswith("/api/"):
            return super().process_request(request)
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class RefuseNulCharactersMiddleware:
    """Answers 400 (JSON under /api/ and /open311/, the error page elsewhere) before a NUL reaches a query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if carries_nul(request):
            return bad_request(request, SuspiciousOperation("NUL character in the path or query"))
        return self.get_response(request)
