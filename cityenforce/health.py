"""GET /api/health/: is each backend (database, cache, channel layer, Celery broker) reachable, and which is in use.

Every check has a short timeout and the three network checks run side by side, so the
answer stays fast while a backend is away; any check down makes the answer 503.
"""
import asyncio
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from asgiref.sync import async_to_sync
from channels.layers import channel_layers
from django.conf import settings
from django.core.signals import setting_changed
from django.core.cache import cache
from django.db import connection
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from cityenforce.celery import app

CHECK_TIMEOUT_S = 2.0
# The endpoint is public and unthrottled: its answer is kept this long in this process (not in the cache it checks).
RESULT_TTL_S = 3.0


def database_backend() -> str:
    vendor = connection.vendor
    if vendor == "postgresql":
        return "postgis"
    if vendor == "sqlite":
        return "spatialite"
    return vendor


def channel_layer_backend() -> str:
    backend = settings.CHANNEL_LAYERS["default"]["BACKEND"]
    return {"channels.layers.InMemoryChannelLayer": "in-memory", "channels_redis.core.RedisChannelLayer": "redis"}.get(backend, backend)


def cache_backend() -> str:
    backend = settings.CACHES["default"]["BACKEND"]
    return {"django.core.cache.backends.locmem.LocMemCache": "in-memory", "django.core.cache.backends.redis.RedisCache": "redis"}.get(backend, backend)


def celery_backend() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager"
    return settings.CELERY_BROKER_URL.split(":", 1)[0]


# --- the checks: each returns quietly or raises ----------------------------------------

def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def check_cache():
    key, value = f"health:{uuid.uuid4().hex}", str(time.time())
    cache.set(key, value, timeout=10)
    if cache.get(key) != value:
        raise RuntimeError("cache did not return what was stored")
    cache.delete(key)


def check_channel_layer():
    """A real round trip on a layer object of our own: send to a new channel and read it back.

    Not the process's shared layer nor a process-local ``!`` channel: channels_redis lets only one event loop at a
    time receive on a layer's ``!`` channels, and in daphne that is the loop serving the WebSockets.
    """
    if "default" not in channel_layers:
        raise RuntimeError("no channel layer configured")
    layer = channel_layers.make_backend("default")

    async def round_trip():
        channel = f"health.{uuid.uuid4().hex}"  # a plain channel: any loop may receive it
        try:
            await layer.send(channel, {"type": "health.ping"})
            message = await asyncio.wait_for(layer.receive(channel), CHECK_TIMEOUT_S)
            if message.get("type") != "health.ping":
                raise RuntimeError("the channel layer returned another message")
        finally:
            close = getattr(layer, "close_pools", None)  # channels_redis: the connections this loop opened
            if close is not None:
                await close()

    async_to_sync(round_trip)()


def check_broker():
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return  # jobs run in the caller: there is no broker to reach
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=CHECK_TIMEOUT_S)


def _result(started, error=None) -> dict:
    result = {"state": "down" if error else "up", "ms": round((time.monotonic() - started) * 1000, 1)}
    if error is not None:
        # The kind of failure only: host names, ports and passwords stay out of a public answer.
        result["error"] = type(error).__name__
    return result


def _timed(check) -> dict:
    started = time.monotonic()
    try:
        check()
    except Exception as exc:  # the point of a health check is to report, not to raise
        return _result(started, exc)
    return _result(started)


_cached = {"until": 0.0, "checks": None}
_cached_lock = threading.Lock()


def _forget_cached(**kwargs):
    _cached["until"], _cached["checks"] = 0.0, None


setting_changed.connect(_forget_cached, dispatch_uid="health-forget-cached-result")


def cached_checks() -> dict:
    """run_checks(), at most once per RESULT_TTL_S in this process: probing the public URL in a loop costs little."""
    with _cached_lock:  # callers in parallel wait for the one run instead of each starting their own
        if _cached["checks"] is None or time.monotonic() >= _cached["until"]:
            _cached["checks"] = run_checks()
            _cached["until"] = time.monotonic() + RESULT_TTL_S
        return _cached["checks"]


def run_checks() -> dict:
    """The database in this thread (its connection belongs to it); the network checks side by side."""
    remote = {"cache": (check_cache, cache_backend()), "channel_layer": (check_channel_layer, channel_layer_backend()),
              "broker": (check_broker, celery_backend())}
    pool = ThreadPoolExecutor(max_workers=len(remote), thread_name_prefix="health")
    try:
        futures = {name: pool.submit(_timed, check) for name, (check, _backend) in remote.items()}
        checks = {"database": {"backend": database_backend(), **_timed(check_database)}}
        deadline = time.monotonic() + CHECK_TIMEOUT_S + 0.5
        for name, future in futures.items():
            try:
                outcome = future.result(timeout=max(0.0, deadline - time.monotonic()))
            except FutureTimeout:
                outcome = {"state": "down", "error": "Timeout", "ms": round(CHECK_TIMEOUT_S * 1000)}
            checks[name] = {"backend": remote[name][1], **outcome}
    finally:
        pool.shutdown(wait=False)  # a hung check must not hold the answer
    return checks


class HealthView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(responses={200: OpenApiTypes.OBJECT, 503: OpenApiTypes.OBJECT})
    def get(self, request):
        checks = cached_checks()
        healthy = all(c["state"] == "up" for c in checks.values())
        return Response(
            {
                "status": "ok" if healthy else "error",
                "database": database_backend(),
                "channel_layer": channel_layer_backend(),
                "celery": celery_backend(),
                "checks": checks,
            },
            status=200 if healthy else 503,
            headers={"Cache-Control": "no-store"},
        )
