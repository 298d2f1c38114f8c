"""System checks of sign-in and the requests' way in: rate limits that parse, no demo account with the public
password outside demo mode, and no endless HTTPS redirect behind a TLS-terminating proxy.

Errors make ``manage.py check``, ``runserver`` and ``migrate`` refuse to start.
"""
import re

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.db import DatabaseError, connections

from apps.accounts.demo import PUBLISHED_DEMO_PASSWORD, demo_usernames
from apps.accounts.models import User

# What django-ratelimit understands, written in full: "30/10m", "60/m", "5/h". Its own parser reads only a prefix
# ("30/10 min" would become 30 per 10 seconds), so a rate must match this from start to end.
RATE = re.compile(r"(?P<count>\d+)/(?P<multi>\d*)(?P<period>[smhd])", re.IGNORECASE)


def rate_error(rate) -> str | None:
    """Why ``rate`` is not a usable limit, or None."""
    if isinstance(rate, tuple) and len(rate) == 2 and all(isinstance(n, int) for n in rate):
        count, seconds = rate
    elif isinstance(rate, str) and (found := RATE.fullmatch(rate.strip())):
        count, seconds = int(found["count"]), int(found["multi"] or 1)
    else:
        return "not of the form COUNT/[N]UNIT with UNIT one of s, m, h, d (e.g. 30/10m)"
    if count < 1 or seconds < 1:
        return "the count and the period must be at least 1"
    return None


@register(Tags.security, deploy=False)
def rate_limits_check(app_configs=None, **kwargs):
    problems = []
    for group, rate in sorted(getattr(settings, "RATE_LIMITS", {}).items()):
        reason = rate_error(rate)
        if reason:
            problems.append(Error(
                f"The rate limit {group!r} is {rate!r}: {reason}.",
                hint=f"Fix RATE_LIMIT_{group.upper().replace('-', '_')} (settings.RATE_LIMITS[{group!r}]); "
                     "an unreadable rate would leave that route unlimited or limited wrongly.",
                id="accounts.E001",
            ))
    return problems


@register(Tags.security, deploy=False)
def demo_accounts_check(app_configs=None, databases=None, **kwargs):
    """Outside demo mode: demo accounts still active with the public demo password (migrate retires them).

    Checks run before migrate, also on a fresh database: without a reachable database or the user table there is
    nothing to report. Accounts already retired have an unusable password and cost no password hashing.
    """
    if getattr(settings, "DEMO_MODE", False):
        return []
    passwords = [p for p in dict.fromkeys([PUBLISHED_DEMO_PASSWORD, getattr(settings, "DEMO_PASSWORD", "")]) if p]
    alias = (list(databases)[0] if databases else "default")
    try:
        connection = connections[alias]
        if User._meta.db_table not in connection.introspection.table_names():
            return []
        candidates = list(User.objects.using(alias).filter(username__in=demo_usernames(), is_active=True)
                          .exclude(password="").exclude(password__startswith="!").order_by("username"))
    except DatabaseError:  # OperationalError, ProgrammingError: no database yet, or not reachable
        return []
    exposed = [u.username for u in candidates if any(u.check_password(p) for p in passwords)]
    if not exposed:
        return []
    return [Error(
        "Demo mode is off, but these demo accounts can still sign in with the published demo password: "
        + ", ".join(exposed) + ".",
        hint="Run `manage.py retire_demo_accounts` (migrate does it too, after this check: `migrate --skip-checks`), "
             "or give these accounts passwords of their own.",
        id="accounts.E002",
    )]


@register(Tags.security, deploy=False)
def proxy_ssl_redirect_check(app_configs=None, **kwargs):
    """Behind a proxy that terminates TLS, every request reaches us as plain HTTP: without SECURE_PROXY_SSL_HEADER
    SECURE_SSL_REDIRECT answers each of them with a redirect to HTTPS, forever."""
    behind_proxy = bool(getattr(settings, "TRUSTED_PROXIES", None)) or getattr(settings, "TRUSTED_PROXY_COUNT", 0) > 0
    if (getattr(settings, "SECURE_SSL_REDIRECT", False) and not getattr(settings, "DEMO_MODE", False) and behind_proxy
            and not getattr(settings, "SECURE_PROXY_SSL_HEADER", None)):
        return [Warning(
            "SECURE_SSL_REDIRECT is on behind trusted proxies, but SECURE_PROXY_SSL_HEADER is not set: if the proxy "
            "terminates TLS, every request is redirected to HTTPS again, endlessly.",
            hint="Set DJANGO_SECURE_PROXY_SSL_HEADER to the header the proxy sets to 'https' (e.g. X-Forwarded-Proto), "
                 "or DJANGO_SECURE_SSL_REDIRECT=0 if the proxy redirects to HTTPS itself.",
            id="accounts.W001",
        )]
    return []
