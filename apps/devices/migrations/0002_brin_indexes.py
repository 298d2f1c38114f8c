"""BRIN indexes on the raw point tables' time column, on PostgreSQL only (SpatiaLite has no BRIN)."""
from django.db import migrations

TABLES = ["devices_position", "devices_noisereading"]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        # Rows arrive roughly in time order, so a BRIN index stays tiny and makes
        # "everything older than the retention" and city-wide time ranges cheap.
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {table}_recorded_brin ON {table} USING brin (recorded_at) WITH (pages_per_range = 32)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_recorded_brin")


class Migration(migrations.Migration):
    dependencies = [("devices", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
