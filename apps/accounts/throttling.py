"""Who is calling (the client address behind our proxies) and how often: rate limits and the login lockout answer.

Counting is django-ratelimit's (an atomic add/incr in the default cache, so parallel requests cannot all slip
under the limit); the login lockout is django-axes'. This module decides the key (the client address), the
rate (settings) and the answer: 429 with Retry-After, in the error format of the API it guards or as a page.
"""
import functools
import ipaddress
import logging
import math

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage
from redis.exceptions import RedisError

from apps.gbcp.api.errors import json_error_response

logger = logging.getLogger(__name__)


# --- the client address --------------------------------------------------------------

def _parse(value):
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


@functools.lru_cache(maxsize=8)
def _networks(proxies: tuple) -> tuple:
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def _is_trusted(address, networks) -> bool:
    return address is not None and any(address in network for network in networks)


def client_ip(request) -> str | None:
    """The caller's address: REMOTE_ADDR, or X-Forwarded-For as written by our own trusted proxies (None: unknown).

    X-Forwarded-For is appended to by each proxy, so only its right end is trustworthy: we read it from the
    right, past our own proxies, and stop at the first address they did not add themselves.
    """
    peer = _parse(request.META.get("REMOTE_ADDR") or "")
    remote = str(peer) if peer is not None else ""  # a unix socket or a test request has no address
    proxies = tuple(settings.TRUSTED_PROXIES)
    count = settings.TRUSTED_PROXY_COUNT
    if not proxies and count <= 0:
        return remote or None
    forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if proxies:
        networks = _networks(proxies)
        if not _is_trusted(_parse(remote), networks):
            return remote or None  # not through our proxy: whatever the header says was written by the caller
        client = remote
        for part in reversed(forwarded):
            address = _parse(part)
            if address is None:
                break  # garbage before our proxy's entry: keep the last address a proxy vouched for
            client = str(address)
            if not _is_trusted(address, networks):
                break
        return client or None
    # A fixed number of proxies: the entry that the outermost one appended is the client.
    if len(forwarded) >= count:
        address = _parse(forwarded[-count])
    else:
        address = _parse(forwarded[0]) if forwarded else None
    return str(address) if address is not None else (remote or None)


def client_key(group, request) -> str:
    """The rate-limit key: the client address, an IPv6 client by its /64 (one subscriber's whole prefix)."""
    address = _parse(client_ip(request) or "")
    if address is not None and address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    return str(address) if address is not None else "unknown"


# --- limits -----------------------------------------------------------------------------

def hit(request, *, group: str, rate: str, increment=True):
    """Count this request in ``group``; the seconds to wait when it is over the limit, else None.

    One atomic increment decides: of N parallel requests exactly ``limit`` pass. If the cache is unreachable
    the request passes and the failure is logged (the login lockout, kept in the database, still holds).
    """
    try:
        usage = get_usage(request, group=group, key=client_key, rate=rate, increment=increment)
    except (RedisError, ConnectionError, TimeoutError, OSError):  # the cache is down: availability first, and say so
        # Only an unreachable cache: a rate django-ratelimit cannot parse must fail loudly (checks.py finds it at start-up).
        logger.exception("rate limit %s could not be counted; request let through", group)
        return None
    if usage is None or not usage["should_limit"]:
        return None
    return max(1, math.ceil(usage["time_left"]))


def rate_limit(group: str, *, methods=("POST",)):
    """Limit a view (function or method) by ``settings.RATE_LIMITS[group]`` per client; answer 429 past it."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            request = next(a for a in args if hasattr(a, "META"))
            if request.method in methods:
                retry_after = hit(request, group=group, rate=settings.RATE_LIMITS[group])
                if retry_after is not None:
                    return too_many_requests(request, retry_after=retry_after)
            return view(*args, **kwargs)

        return wrapper

    return decorator


# --- the answer ------------------------------------------------------------------------------

def too_many_requests(request, *, retry_after: int, message=None, template="rate_limited.html", context=None):
    """429 with Retry-After: Open311's list of errors, the API's error body, or a page for people."""
    message = message or _("Too many requests. Please wait a while and try again.")
    path = request.path
    if path.startswith("/open311/"):
        response = JsonResponse([{"code": 429, "description": str(message)}], status=429, safe=False,
                                json_dumps_params={"ensure_ascii": False})
    elif path.startswith("/api/"):
        response = json_error_response("throttled", message, http_status=429, details={"retry_after": retry_after})
    else:
        minutes = max(1, math.ceil(retry_after / 60))
        response = render(request, template, {"message": message, "retry_minutes": minutes, **(context or {})}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out login (AXES_LOCKOUT_CALLABLE)."""
    retry_after = max(1, math.ceil(settings.AXES_COOLOFF_TIME * 3600))
    message = _("Too many failed logins. This account is locked from your address for a while; try again later.")
    return too_many_requests(request, retry_after=retry_after, message=message)
