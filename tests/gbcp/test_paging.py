"""Counting big lists: exact below the limit, the planner's estimate above it on PostgreSQL, never on SQLite."""
import pytest
from django.db import connection
from django.test import override_settings

from apps.dispatch.models import Task
from apps.gbcp.paging import EstimatingPaginator, count_of, planner_estimate


@pytest.mark.django_db
def test_below_the_limit_the_count_is_exact_on_every_backend():
    qs = Task.objects.all()
    exact = qs.count()
    assert count_of(qs) == (exact, False)
    paginator = EstimatingPaginator(qs, 10)
    assert paginator.count == exact and paginator.count_is_estimate is False


@pytest.mark.django_db
@override_settings(PAGING_EXACT_COUNT_LIMIT=0)
def test_above_the_limit_postgresql_answers_the_planners_estimate_and_says_so_sqlite_stays_exact():
    qs = Task.objects.filter(status__in=["new", "closed", "dispatched"])
    count, is_estimate = count_of(qs)
    if connection.vendor == "postgresql":
        assert is_estimate is True and count == planner_estimate(qs) and count >= 1
    else:
        assert planner_estimate(qs) is None and (count, is_estimate) == (qs.count(), False)


@pytest.mark.django_db
def test_the_admin_task_list_shows_no_full_count_and_no_date_drilldown(admin_client):
    response = admin_client.get("/admin/dispatch/task/")
    assert response.status_code == 200
    changelist = response.context["cl"]
    assert changelist.show_full_result_count is False and changelist.date_hierarchy is None
    assert isinstance(changelist.paginator, EstimatingPaginator)


@pytest.mark.django_db
@override_settings(PAGING_EXACT_COUNT_LIMIT=0)
def test_an_empty_queryset_counts_zero_without_asking_the_planner():
    assert count_of(Task.objects.none()) == (0, False)
    assert count_of(Task.objects.filter(pk__in=[])) == (0, False)
