"""Sequence numbers: a per-key counter taken in one statement under the row lock.

``UPDATE … SET last = last + 1 … RETURNING last`` is one atomic step on both PostgreSQL and
SQLite, so two writers never get the same number; the first use of a key creates its row.
"""
from django.db import connection, models, transaction


class SequenceCounter(models.Model):
    """A named counter (one per day, per district and year, …); ``next_value`` hands out its numbers."""

    key = models.CharField(max_length=48, unique=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


def next_value(model, key: str) -> int:
    """The next number of the counter ``key`` in the table of ``model`` (a ``SequenceCounter``)."""
    table = connection.ops.quote_name(model._meta.db_table)
    sql = f"UPDATE {table} SET last = last + 1 WHERE key = %s RETURNING last"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [key])
        row = cursor.fetchone()
        if row is None:
            model.objects.get_or_create(key=key)
            cursor.execute(sql, [key])
            row = cursor.fetchone()
    return row[0]
