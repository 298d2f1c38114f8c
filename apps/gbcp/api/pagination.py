"""Pagination of every list: page number with a bounded page size."""
from rest_framework.pagination import PageNumberPagination

from apps.gbcp.paging import EstimatingPaginator


class StandardPagination(PageNumberPagination):
    """``count`` is exact up to ``PAGING_EXACT_COUNT_LIMIT`` rows and the planner's estimate above it (PostgreSQL)."""

    django_paginator_class = EstimatingPaginator
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
