"""Whistles with a late report-in, and the deadline sweep across a weekend."""
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from apps.accounts.models import User
from apps.dispatch import services
from apps.dispatch.models import Source, Task, TaskLog
from apps.gbcp.errors import ApplicationError
from apps.gbcp.models import Organization
from apps.realtime.models import Notification

SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def task(db, insider, dhm_point, vendor_category):
    return services.task_intake(user=insider, source=Source.DISPATCHER, description="占道经营", point=dhm_point, category=vendor_category).task


@pytest.fixture
def street_office_user(db):
    from apps.accounts import services as account_services
    from apps.accounts.models import Role

    user = account_services.user_ensure(user=None, username="t_street", password="x-123456789")
    account_services.membership_grant(user=None, member=user, organization=Organization.objects.get(name="东华门街道办事处"), role=Role.LEADER)
    return User.objects.get(pk=user.pk)


@pytest.fixture
def department_user(db):
    from apps.accounts import services as account_services
    from apps.accounts.models import Role

    user = account_services.user_ensure(user=None, username="t_cgw", password="x-123456789")
    account_services.membership_grant(user=None, member=user, organization=Organization.objects.get(name="东城区城市管理委员会"), role=Role.OFFICER)
    return User.objects.get(pk=user.pk)


@pytest.mark.django_db
def test_a_whistle_summons_departments_and_records_a_late_report_in(task, street_office_user, department_user, outsider, django_capture_on_commit_callbacks):
    department = Organization.objects.get(name="东城区城市管理委员会")
    with django_capture_on_commit_callbacks(execute=True):
        whistle = services.whistle_blow(user=street_office_user, task=task, departments=[department], reason="需要城管委协调占道问题")
    summons = whistle.summonses.get()
    assert (summons.due_at - whistle.blown_at) == dt.timedelta(minutes=30)
    assert Notification.objects.filter(recipient=department_user, event="whistle.blown").exists()
    with pytest.raises(ApplicationError):
        services.summons_report_in(user=outsider, summons=summons)
    done = services.summons_report_in(user=department_user, summons=summons, at=summons.due_at + dt.timedelta(minutes=12, seconds=5))
    assert done.late_minutes == 13
    assert TaskLog.objects.filter(task=task, action="report_in").get().data["late_minutes"] == 13
    with pytest.raises(ApplicationError) as info:
        services.summons_report_in(user=department_user, summons=summons)
    assert info.value.code == "already_reported"


@pytest.mark.django_db
def test_only_the_street_office_of_the_street_can_whistle(task, insider):
    with pytest.raises(ApplicationError) as info:
        services.whistle_blow(user=insider, task=task, departments=[], reason="x")
    assert info.value.code == "forbidden"


@pytest.mark.django_db
def test_the_sweep_turns_yellow_then_red_across_a_weekend(task, insider, django_capture_on_commit_callbacks):
    # Received Friday 2026-11-20 16:00 with 2 working days: due Tuesday 24 at 17:30.
    received = dt.datetime(2026, 11, 20, 16, 0, tzinfo=SH)
    Task.objects.filter(pk=task.pk).update(received_at=received, deadline=dt.datetime(2026, 11, 24, 17, 30, tzinfo=SH))
    # Only this task is under test; the demo's own tasks are taken off the board.
    Task.objects.exclude(pk=task.pk).update(deadline=None)

    def alert_after(now):
        with django_capture_on_commit_callbacks(execute=True):
            counts = services.deadlines_sweep(now=now)
        task.refresh_from_db()
        return task.alert, counts

    # Sunday noon: 44 of 97.5 hours used.
    assert alert_after(dt.datetime(2026, 11, 22, 12, 0, tzinfo=SH)) == ("", {"yellow": 0, "red": 0})
    assert alert_after(dt.datetime(2026, 11, 24, 9, 0, tzinfo=SH)) == ("yellow", {"yellow": 1, "red": 0})
    assert Notification.objects.filter(recipient=insider, event="task.yellow", payload__id=task.pk).exists()
    assert alert_after(dt.datetime(2026, 11, 24, 10, 0, tzinfo=SH)) == ("yellow", {"yellow": 0, "red": 0})
    assert alert_after(dt.datetime(2026, 11, 24, 17, 31, tzinfo=SH)) == ("red", {"yellow": 0, "red": 1})
    assert Notification.objects.filter(recipient=insider, event="task.overdue").exists()


@pytest.mark.django_db
def test_the_sweep_command_prints_counts():
    import io

    out = io.StringIO()
    call_command("sweep_deadlines", stdout=out)
    assert "yellow" in out.getvalue()
