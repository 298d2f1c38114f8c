"""Bulk writes of raw points: one COPY per batch on PostgreSQL, duplicates skipped by the (device, time) key."""
from django.db import IntegrityError, connection, transaction

from apps.devices.models import NoiseReading, Position

POSITION_COLUMNS = ["device_id", "recorded_at", "lat", "lon", "speed_kmh", "bearing", "altitude", "accuracy", "battery", "hdop", "charging", "received_at"]
POSITION_TYPES = ["int8", "timestamptz", "float8", "float8", "float8", "float8", "float8", "float8", "float8", "float8", "bool", "timestamptz"]
NOISE_COLUMNS = ["device_id", "recorded_at", "interval_s", "laeq", "lmax", "received_at"]
NOISE_TYPES = ["int8", "timestamptz", "int4", "float8", "float8", "timestamptz"]


# Below this many rows one INSERT … unnest() (one round trip) beats COPY (savepoint, copy, release).
COPY_MIN_ROWS = 200


def _insert_unnest(table, columns, types, rows):
    arrays = ", ".join(f"%s::{t}[]" for t in types)
    sql = f"INSERT INTO {table} ({', '.join(columns)}) SELECT * FROM unnest({arrays}) ON CONFLICT (device_id, recorded_at) DO NOTHING"
    with connection.cursor() as cursor:
        cursor.execute(sql, [list(col) for col in zip(*rows)])
        return cursor.rowcount


def _insert_postgresql(table, columns, types, rows):
    """COPY straight into the table (the fastest way in); a repeated reading makes it fail, and then the rows
    go through a staging table and ``INSERT … ON CONFLICT DO NOTHING``, so each reading is still stored once.
    Small batches (a noise sensor's minute) are one INSERT … SELECT FROM unnest(), one array per column."""
    if len(rows) < COPY_MIN_ROWS:
        return _insert_unnest(table, columns, types, rows)
    columns_sql = ", ".join(columns)
    try:
        # A savepoint, so a unique violation costs only this attempt, not the caller's transaction.
        with transaction.atomic(), connection.cursor() as cursor:
            _copy(cursor, f"COPY {table} ({columns_sql}) FROM STDIN (FORMAT BINARY)", types, rows)
        return len(rows)
    except IntegrityError:
        pass
    stage = f"{table}_stage"
    with transaction.atomic(), connection.cursor() as cursor:
        # A temporary table lives as long as the connection; its rows only until the commit.
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {stage} ({', '.join(f'{c} {t}' for c, t in zip(columns, types))}) ON COMMIT DELETE ROWS"
        )
        cursor.execute(f"TRUNCATE {stage}")
        _copy(cursor, f"COPY {stage} ({columns_sql}) FROM STDIN (FORMAT BINARY)", types, rows)
        # Rows come out in the order they went in, so within a batch the first of a repeated time wins.
        cursor.execute(f"INSERT INTO {table} ({columns_sql}) SELECT {columns_sql} FROM {stage} ON CONFLICT (device_id, recorded_at) DO NOTHING")
        return cursor.rowcount


def _copy(cursor, sql, types, rows):
    raw = getattr(cursor, "cursor", cursor)  # Django's wrapper around the psycopg cursor
    with connection.wrap_database_errors, raw.copy(sql) as copy:  # psycopg's UniqueViolation → IntegrityError
        copy.set_types(types)
        write = copy.write_row
        for row in rows:
            write(row)


def _insert_generic(table, columns, rows):
    adapt = connection.ops.adapt_datetimefield_value
    time_columns = [i for i, c in enumerate(columns) if c in {"recorded_at", "received_at"}]
    values = []
    for row in rows:
        row = list(row)
        for i in time_columns:
            row[i] = adapt(row[i])
        values.append(row)
    placeholders = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders}) ON CONFLICT (device_id, recorded_at) DO NOTHING"
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)
        return max(cursor.rowcount, 0)


def insert_positions(device_id, points, received_at) -> int:
    """Store parsed points of one device; returns how many were new."""
    # Points of eight values (before hdop and charging were kept) are still taken: the two are then unknown.
    rows = [(device_id, p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8] if len(p) > 8 else None, p[9] if len(p) > 9 else None, received_at)
            for p in points]
    if connection.vendor == "postgresql":
        return _insert_postgresql(Position._meta.db_table, POSITION_COLUMNS, POSITION_TYPES, rows)
    return _insert_generic(Position._meta.db_table, POSITION_COLUMNS, rows)


def insert_noise(device_id, readings, received_at) -> int:
    rows = [(device_id, r[0], r[1], r[2], r[3], received_at) for r in readings]
    if connection.vendor == "postgresql":
        return _insert_postgresql(NoiseReading._meta.db_table, NOISE_COLUMNS, NOISE_TYPES, rows)
    return _insert_generic(NoiseReading._meta.db_table, NOISE_COLUMNS, rows)


# One point of a device that nothing but its position can change, in one statement (PostgreSQL).
# The device is found by code and token hash in the same statement; the point is stored and the
# unit moved only when no alarm of the device is active, the battery is not low and, for an
# officer's device, no shift covers the point (those need the rules in services). Otherwise
# nothing is written and the caller takes the full path.
_REPORT_SQL = """
WITH dev AS (
    SELECT d.id, d.kind, d.name, d.vehicle_plate, r.code AS region_code,
        (s.device_id IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM devices_alarm a WHERE a.device_id = d.id AND a.state IN ('raised', 'acknowledged'))
         AND (%(battery)s::float8 IS NULL OR %(battery)s::float8 >= %(low_battery)s)
         AND (d.kind <> 'officer_gps' OR NOT EXISTS (
             SELECT 1 FROM devices_shift sh WHERE sh.device_id = d.id AND sh.starts_at <= %(at)s::timestamptz AND sh.ends_at > %(at)s::timestamptz))
        ) AS simple
    FROM devices_device d
    JOIN gbcp_region r ON r.id = d.region_id
    LEFT JOIN devices_devicestatus s ON s.device_id = d.id
    WHERE d.code = %(code)s AND d.token_hash = %(token_hash)s AND d.revoked_at IS NULL AND d.is_active
),
ins AS (
    INSERT INTO devices_position (device_id, recorded_at, lat, lon, speed_kmh, bearing, altitude, accuracy, battery, hdop, charging, received_at)
    SELECT id, %(at)s::timestamptz, %(lat)s::float8, %(lon)s::float8, %(speed)s::float8, %(bearing)s::float8, %(altitude)s::float8, %(accuracy)s::float8,
           %(battery)s::float8, %(hdop)s::float8, %(charging)s::boolean, %(now)s::timestamptz FROM dev WHERE simple
    ON CONFLICT (device_id, recorded_at) DO NOTHING
    RETURNING 1
),
moved AS (
    UPDATE devices_devicestatus s SET
        last_seen_at = %(now)s::timestamptz,
        point = CASE WHEN s.position_at IS NULL OR s.position_at < %(at)s::timestamptz
            THEN ST_SetSRID(ST_MakePoint(%(lon)s::float8, %(lat)s::float8), 4326) ELSE s.point END,
        speed_kmh = CASE WHEN s.position_at IS NULL OR s.position_at < %(at)s::timestamptz THEN %(speed)s::float8 ELSE s.speed_kmh END,
        bearing = CASE WHEN s.position_at IS NULL OR s.position_at < %(at)s::timestamptz THEN %(bearing)s::float8 ELSE s.bearing END,
        battery = CASE WHEN (s.position_at IS NULL OR s.position_at < %(at)s::timestamptz) AND %(battery)s::float8 IS NOT NULL
            THEN %(battery)s::float8 ELSE s.battery END,
        outside_grid_since = CASE WHEN (s.position_at IS NULL OR s.position_at < %(at)s::timestamptz) AND dev.kind = 'officer_gps'
            THEN NULL ELSE s.outside_grid_since END,
        position_at = CASE WHEN s.position_at IS NULL OR s.position_at < %(at)s::timestamptz THEN %(at)s::timestamptz ELSE s.position_at END
    FROM dev WHERE dev.simple AND s.device_id = dev.id
    RETURNING s.position_at, s.speed_kmh, s.bearing, s.battery
)
SELECT dev.id, dev.kind, dev.name, dev.vehicle_plate, dev.region_code, dev.simple, (SELECT count(*) FROM ins),
       moved.position_at, moved.speed_kmh, moved.bearing, moved.battery
FROM dev LEFT JOIN moved ON true
"""


_REPORT_PARAMS = [
    ("code", "text"), ("token_hash", "text"), ("at", "timestamptz"), ("lat", "float8"), ("lon", "float8"), ("speed", "float8"),
    ("bearing", "float8"), ("altitude", "float8"), ("accuracy", "float8"), ("battery", "float8"), ("now", "timestamptz"),
    ("low_battery", "float8"), ("hdop", "float8"), ("charging", "boolean"),
]
_REPORT_STATEMENT = "devices_report_position"


def _prepared_report_sql():
    sql = _REPORT_SQL
    for number, (name, type_) in enumerate(_REPORT_PARAMS, start=1):
        sql = sql.replace(f"%({name})s::{type_}", f"${number}").replace(f"%({name})s", f"${number}")
    assert "%(" not in sql
    types = ", ".join(t for _n, t in _REPORT_PARAMS)
    return f"PREPARE {_REPORT_STATEMENT} ({types}) AS {sql}"


_PREPARE_REPORT = _prepared_report_sql()
_EXECUTE_REPORT = f"EXECUTE {_REPORT_STATEMENT} ({', '.join(['%s'] * len(_REPORT_PARAMS))})"


def report_position(*, code, token_hash, point, now, low_battery):
    """Authenticate and store one point in one round trip (PostgreSQL only).

    The statement is prepared once per database connection: planning it costs twice as much as
    running it. Returns None for an unknown device or a wrong or revoked token; else a dict whose
    ``simple`` is False when the point needs the full rules (then nothing was written).
    """
    at, lat, lon, speed, bearing, altitude, accuracy, battery, hdop, charging = (*point, None, None)[:10]
    values = {
        "code": code, "token_hash": token_hash, "at": at, "lat": lat, "lon": lon, "speed": speed, "bearing": bearing,
        "altitude": altitude, "accuracy": accuracy, "battery": battery, "now": now, "low_battery": float(low_battery),
        "hdop": hdop, "charging": charging,
    }
    connection.ensure_connection()
    raw = connection.connection
    with connection.cursor() as cursor:
        # Prepared statements belong to the session (a rollback does not undo them), so a flag on the
        # connection object is enough; a new connection is a new object.
        if not getattr(raw, "_devices_report_prepared", False):
            cursor.execute(_PREPARE_REPORT)
            raw._devices_report_prepared = True
        cursor.execute(_EXECUTE_REPORT, [values[name] for name, _type in _REPORT_PARAMS])
        row = cursor.fetchone()
    if row is None:
        return None
    keys = ("id", "kind", "name", "vehicle_plate", "region_code", "simple", "stored", "position_at", "speed_kmh", "bearing", "battery")
    return dict(zip(keys, row))
