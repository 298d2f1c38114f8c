"""Bulk writes of raw points: one statement per batch, duplicates skipped by the (device, time) key."""
from django.db import connection

from apps.devices.models import NoiseReading, Position

POSITION_COLUMNS = ["device_id", "recorded_at", "lat", "lon", "speed_kmh", "bearing", "altitude", "accuracy", "battery", "received_at"]
POSITION_TYPES = ["int8", "timestamptz", "float8", "float8", "float8", "float8", "float8", "float8", "float8", "timestamptz"]
NOISE_COLUMNS = ["device_id", "recorded_at", "interval_s", "laeq", "lmax", "received_at"]
NOISE_TYPES = ["int8", "timestamptz", "int4", "float8", "float8", "timestamptz"]


def _insert_postgresql(table, columns, types, rows):
    # unnest() of one array per column: a single statement whatever the batch
    # size, sent as binary arrays by psycopg; much cheaper than a VALUES list.
    columns_sql = ", ".join(columns)
    arrays = ", ".join(f"%s::{t}[]" for t in types)
    sql = f"INSERT INTO {table} ({columns_sql}) SELECT * FROM unnest({arrays}) ON CONFLICT (device_id, recorded_at) DO NOTHING"
    with connection.cursor() as cursor:
        cursor.execute(sql, [list(col) for col in zip(*rows)])
        return cursor.rowcount


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
    rows = [(device_id, p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], received_at) for p in points]
    if connection.vendor == "postgresql":
        return _insert_postgresql(Position._meta.db_table, POSITION_COLUMNS, POSITION_TYPES, rows)
    return _insert_generic(Position._meta.db_table, POSITION_COLUMNS, rows)


def insert_noise(device_id, readings, received_at) -> int:
    rows = [(device_id, r[0], r[1], r[2], r[3], received_at) for r in readings]
    if connection.vendor == "postgresql":
        return _insert_postgresql(NoiseReading._meta.db_table, NOISE_COLUMNS, NOISE_TYPES, rows)
    return _insert_generic(NoiseReading._meta.db_table, NOISE_COLUMNS, rows)
