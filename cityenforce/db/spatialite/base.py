"""SpatiaLite backend: Django's own, plus a fix for newer SQLite builds.

SQLite 3.45+ rejects two triggers that ``InitSpatialMetaDataFull`` creates
(``ISO_metadata_reference_row_id_value_*`` refer to ``rowid`` of a view),
which makes every later write to the metadata tables fail with
"no such column: rowid". Dropping those two triggers is harmless: they only
validate ISO metadata rows that this project never writes.
"""
from django.contrib.gis.db.backends.spatialite.base import (
    DatabaseWrapper as SpatialiteDatabaseWrapper,
)

BROKEN_TRIGGERS = (
    "ISO_metadata_reference_row_id_value_insert",
    "ISO_metadata_reference_row_id_value_update",
)


class DatabaseWrapper(SpatialiteDatabaseWrapper):
    def prepare_database(self):
        super().prepare_database()
        with self.cursor() as cursor:
            for trigger in BROKEN_TRIGGERS:
                cursor.execute(f'DROP TRIGGER IF EXISTS "{trigger}"')
