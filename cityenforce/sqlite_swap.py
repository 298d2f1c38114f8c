"""Put pysqlite3 in place of the stdlib sqlite3, which cannot load SpatiaLite here."""
import sys

try:
    import pysqlite3
    import pysqlite3.dbapi2
except ImportError:  # pragma: no cover - PostgreSQL-only deployments may omit it
    pass
else:
    sys.modules["sqlite3"] = pysqlite3
    sys.modules["sqlite3.dbapi2"] = pysqlite3.dbapi2
