"""On PostGIS, a partial GiST index of open master tasks: dedup candidates cost the same with any history."""
from django.db import migrations

OPEN = "('new', 'dispatched', 'accepted', 'in_progress', 'feedback', 'deferred')"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SpatiaLite answers the box query from its R*Tree (see dedup.candidate_queryset)
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS dispatch_task_open_point_gist ON dispatch_task USING GIST (point) "
        f"WHERE master_id IS NULL AND status IN {OPEN}"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS dispatch_task_open_point_gist")


class Migration(migrations.Migration):
    dependencies = [("dispatch", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
