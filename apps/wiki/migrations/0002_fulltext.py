"""Full-text indexes of the wiki's search: an FTS5 table on SQLite, a GIN index over to_tsvector('simple') on PostgreSQL.

Each is a RunSQL that runs only on its own backend (``connection.vendor``), so the other backend's schema is untouched.
"""
from django.db import migrations


class VendorRunSQL(migrations.RunSQL):
    """RunSQL that runs only when the database is ``vendor``."""

    def __init__(self, vendor, *args, **kwargs):
        self.vendor = vendor
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, args, kwargs = super().deconstruct()
        return name, [self.vendor, *args], kwargs

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [("wiki", "0001_initial")]

    operations = [
        # rowid = page id; terms are jieba's space-separated words, which unicode61 keeps whole.
        VendorRunSQL("sqlite", "CREATE VIRTUAL TABLE wiki_fts USING fts5(terms, tokenize='unicode61')",
                     "DROP TABLE IF EXISTS wiki_fts"),
        VendorRunSQL("postgresql",
                     "CREATE INDEX wiki_pageindex_terms_gin ON wiki_pageindex USING GIN (to_tsvector('simple', terms))",
                     "DROP INDEX IF EXISTS wiki_pageindex_terms_gin"),
    ]
