import os

import pytest
from django.db import connection


@pytest.mark.django_db
def test_health_names_the_backends_in_use(api):
    body = api.get("/api/health/").json()
    assert body["status"] == "ok"
    if os.environ.get("DATABASE_URL", "").startswith(("postgis", "postgres")):
        assert body["database"] == "postgis" and connection.vendor == "postgresql"
    else:
        assert body["database"] == "spatialite" and connection.vendor == "sqlite"
        assert connection.ops.spatialite  # the extension really is loaded
    if os.environ.get("REDIS_URL"):
        assert body["channel_layer"] == "redis" and body["celery"] == "redis"
    else:
        assert body["channel_layer"] == "in-memory" and body["celery"] == "eager"


@pytest.mark.django_db
def test_the_database_really_is_spatial():
    from django.contrib.gis.geos import Point

    from apps.gbcp.models import Region

    assert Region.objects.filter(level=2, boundary__contains=Point(116.3976, 39.9042, srid=4326)).get().code == "110101"
