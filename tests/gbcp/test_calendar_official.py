"""The work calendar from the national schedules: every published year, hand edits kept, unknown years provisional."""
import datetime as dt
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest
from django.core.management import call_command

from apps.gbcp import services
from apps.gbcp.models import CalendarDay, CalendarSource, CalendarYear
from apps.gbcp.workcalendar import EMERGENCY_HOURS, WORKING_DAYS, Calendar, add_deadline, provisional_years

SH = ZoneInfo("Asia/Shanghai")


def test_every_day_the_package_knows_agrees_with_the_loaded_calendar(db):
    calendar = Calendar()
    first, last = min(chinese_calendar.holidays).year, max(chinese_calendar.holidays).year
    day, disagree = dt.date(first, 1, 1), []
    while day.year <= last:
        if calendar.is_workday(day) != chinese_calendar.is_workday(day):
            disagree.append(day)
        day += dt.timedelta(days=1)
    assert disagree == []
    assert set(range(first, last + 1)) <= calendar.published_years


def test_2025_knows_its_national_day_and_its_make_up_sunday(db):
    calendar = Calendar()
    assert not calendar.is_workday(dt.date(2025, 10, 1))
    assert calendar.is_workday(dt.date(2025, 1, 26))  # a Sunday worked for the Spring Festival


def test_a_second_load_changes_nothing_and_keeps_a_day_entered_by_hand(db):
    services.calendar_day_set(user=None, date=dt.date(2026, 12, 31), is_workday=False, note="本市调整")
    counts = services.calendar_load_official(user=None)
    assert (counts["created"], counts["changed"], counts["removed"]) == (0, 0, 0)
    kept = CalendarDay.objects.get(date=dt.date(2026, 12, 31))
    assert (kept.is_workday, kept.source) == (False, CalendarSource.MANUAL)


def test_a_hand_edit_of_an_official_day_survives_the_next_load(db):
    services.calendar_day_set(user=None, date=dt.date(2026, 10, 8), is_workday=True, note="改为上班")
    services.calendar_load_official(user=None)
    assert CalendarDay.objects.get(date=dt.date(2026, 10, 8)).is_workday is True


def test_a_deadline_into_a_year_without_a_schedule_is_provisional_and_2027_new_year_is_not_assumed_known(db):
    start = dt.datetime(2026, 11, 27, 10, tzinfo=SH)
    due = add_deadline(start, 90, WORKING_DAYS)
    assert due.year == 2027
    assert provisional_years(start, due, WORKING_DAYS) == [2027]
    assert provisional_years(start, start + dt.timedelta(days=3), WORKING_DAYS) == []
    assert provisional_years(start, due, EMERGENCY_HOURS) == []


def test_a_year_marked_published_by_hand_is_no_longer_provisional(db):
    services.calendar_day_set(user=None, date=dt.date(2027, 1, 1), is_workday=False, note="元旦")
    services.calendar_year_set(user=None, year=2027, status=CalendarYear.Status.PUBLISHED, note="国办发明电〔2026〕…")
    start = dt.datetime(2026, 12, 31, 10, tzinfo=SH)
    due = add_deadline(start, 1, WORKING_DAYS)
    assert due.date() == dt.date(2027, 1, 4)  # 1 January off, then the weekend
    assert provisional_years(start, due) == []


def test_the_command_reports_what_it_did(db):
    from io import StringIO

    out = StringIO()
    call_command("calendar_load", stdout=out)
    assert "years published" in out.getvalue()


def test_the_deadline_note_marks_only_a_deadline_into_an_unpublished_year(db):
    from django.template import Context, Template

    template = Template("{% load workcalendar %}[{% deadline_note start due %}]")
    start = dt.datetime(2026, 11, 27, 10, tzinfo=SH)
    assert template.render(Context({"start": start, "due": start + dt.timedelta(days=2)})) == "[]"
    assert "badge" in template.render(Context({"start": start, "due": dt.datetime(2027, 2, 1, 17, tzinfo=SH)}))


@pytest.mark.django_db
def test_the_task_page_flags_a_deadline_that_runs_into_an_unpublished_year(client, insider):
    from django.utils import timezone

    from apps.dispatch import services
    from apps.dispatch.models import Source, Task

    task = services.task_intake(user=None, source=Source.CITIZEN, description="东华门大街路灯不亮", point=None, address="东城区东华门大街").report
    Task.objects.filter(pk=task.pk).update(region_code="110101", received_at=timezone.make_aware(dt.datetime(2026, 12, 20, 9)),
                                           deadline=timezone.make_aware(dt.datetime(2027, 1, 20, 17)))
    client.force_login(insider)
    page = client.get(f"/dispatch/tasks/{task.pk}/").content.decode()
    assert "暂定" in page and "2027" in page
    Task.objects.filter(pk=task.pk).update(deadline=timezone.make_aware(dt.datetime(2026, 12, 24, 17)))
    assert "暂定" not in client.get(f"/dispatch/tasks/{task.pk}/").content.decode()
