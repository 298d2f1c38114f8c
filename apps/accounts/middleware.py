"""Back-office sessions: idle and absolute timeouts, and the second factor before any staff or admin page.

Runs after django-otp's OTPMiddleware. Decides from the session alone (``apps.accounts.otp`` notes staff-ness and
the device at sign-in), so a request costs no query here; the last-seen time is written at most once a minute.
Citizens and merchants are not touched: they keep Django's longer session.
"""
import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from apps.accounts import otp
from apps.gbcp.api.errors import json_error_response

# Reachable before the second factor: the sign-in and sign-out, the code and enrolment pages, language, static files.
EXEMPT_PREFIXES = ("/accounts/login/", "/accounts/logout/", "/accounts/otp/", "/admin/logout/", "/i18n/", "/static/", "/favicon.ico", "/api/accounts/token/", "/api/health/")


def _remember_if_missing(request):
    """A session from before this middleware (or from elsewhere) learns its facts once."""
    if otp.SESSION_STAFF not in request.session:
        otp.remember_sign_in(request, request.user)


class StaffSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self._check(request)
        return response if response is not None else self.get_response(request)

    def _check(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        _remember_if_missing(request)
        session = request.session
        if not session.get(otp.SESSION_STAFF):
            return None
        now = int(time.time())
        seen = session.get(otp.SESSION_SEEN_AT, now)
        signed_in = session.get(otp.SESSION_AUTH_AT, now)
        if now - seen > settings.STAFF_SESSION_IDLE_SECONDS or now - signed_in > settings.STAFF_SESSION_ABSOLUTE_SECONDS:
            logout(request)  # the request goes on as anonymous: staff pages send it to the login page, the API answers 401/403
            return None
        if now - seen >= settings.STAFF_SESSION_TOUCH_SECONDS:
            session[otp.SESSION_SEEN_AT] = now
        path = request.path
        if path.startswith(EXEMPT_PREFIXES):
            return None
        if otp.needs_code(request):
            return self._refuse(request, "otp-verify", _("Enter the code of your authenticator first."), "otp_required")
        if otp.needs_enrolment(request):
            return self._refuse(request, "otp-enrol", _("Set up an authenticator first."), "otp_enrolment_required")
        return None

    @staticmethod
    def _refuse(request, url_name, message, code):
        if request.path.startswith("/api/"):
            return json_error_response(code, message, http_status=403)
        return redirect(f"{reverse(url_name)}?{urlencode({'next': request.get_full_path()})}")
