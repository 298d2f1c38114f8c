"""The one log-state row, and on PostgreSQL triggers that refuse UPDATE and DELETE on the log, tree heads and evidence."""
from django.db import migrations

TABLES = ("evidence_logentry", "evidence_treehead", "evidence_evidence")

FUNCTION = """
CREATE OR REPLACE FUNCTION evidence_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'evidence log: % on % is not allowed (append-only)', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def create_state(apps, schema_editor):
    apps.get_model("evidence", "LogState").objects.get_or_create(pk=1, defaults={"size": 0, "frontier": []})


def install_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)  # the % in RAISE are not query placeholders
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION evidence_append_only();"
        )


def remove_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
    schema_editor.execute("DROP FUNCTION IF EXISTS evidence_append_only();")


class Migration(migrations.Migration):
    dependencies = [("evidence", "0001_initial")]

    operations = [
        migrations.RunPython(create_state, migrations.RunPython.noop),
        migrations.RunPython(install_triggers, remove_triggers),
    ]
