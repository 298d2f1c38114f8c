"""GET /api/health/: is the service up, and which backends is it using."""
from django.conf import settings
from django.db import connection
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView


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


def celery_backend() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager"
    return settings.CELERY_BROKER_URL.split(":", 1)[0]


class HealthView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request):
        status, code = "ok", 200
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except Exception:  # the point of a health check is to report, not to raise
            status, code = "error", 503
        return Response(
            {"status": status, "database": database_backend(), "channel_layer": channel_layer_backend(), "celery": celery_backend()},
            status=code,
        )
