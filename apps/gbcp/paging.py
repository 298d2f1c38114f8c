"""Counting big lists without reading them whole.

An exact ``COUNT(*)`` over a million tasks reads every row that matches (PostgreSQL has no cached row count), and
a list page only needs it to draw "N results" and the page links. Above ``PAGING_EXACT_COUNT_LIMIT`` rows, as the
planner estimates them (``EXPLAIN``: no rows read), the estimate is used and marked as one (pages show "约 N");
below it, and on SQLite, the count is exact. Used by the staff lists, the API's pagination and the admin's big
change lists.
"""
import json

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property


def planner_estimate(queryset) -> int | None:
    """The planner's row estimate for ``queryset`` on PostgreSQL (``None`` elsewhere or when it cannot be had)."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    try:
        sql, params = queryset.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # ``.none()`` or an empty ``__in``: no SQL to explain; the exact count is 0 and free
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    try:
        return int(plan[0]["Plan"]["Plan Rows"])
    except (KeyError, IndexError, TypeError, ValueError):
        return None


def count_of(queryset) -> tuple[int, bool]:
    """``(count, is_estimate)``: exact up to the limit, the planner's estimate above it."""
    limit = getattr(settings, "PAGING_EXACT_COUNT_LIMIT", 50_000)
    if hasattr(queryset, "query"):
        estimate = planner_estimate(queryset)
        if estimate is not None and estimate > limit:
            return estimate, True
        return queryset.count(), False
    return len(queryset), False


class EstimatingPaginator(Paginator):
    """A ``Paginator`` whose count is the planner's estimate for big PostgreSQL results (``count_is_estimate``)."""

    @cached_property
    def _counted(self):
        return count_of(self.object_list)

    @cached_property
    def count(self):
        return self._counted[0]

    @property
    def count_is_estimate(self) -> bool:
        return self._counted[1]
