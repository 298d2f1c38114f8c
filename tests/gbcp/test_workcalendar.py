import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from apps.gbcp.workcalendar import EMERGENCY_HOURS, WORKING_DAYS, WORKING_HOURS, Calendar, add_deadline

SH = ZoneInfo("Asia/Shanghai")


def at(*args):
    return dt.datetime(*args, tzinfo=SH)


@pytest.fixture
def calendar(db):
    return Calendar()  # the demo's 2026 calendar from the database


def test_working_days_skip_the_weekend(calendar):
    # Friday 2026-11-20 → Monday 23, Tuesday 24.
    assert add_deadline(at(2026, 11, 20, 10, 0), 2, WORKING_DAYS, calendar=calendar) == at(2026, 11, 24, 17, 30)


def test_working_days_skip_a_holiday_and_count_a_make_up_sunday(calendar):
    # 中秋 2026: 25–27 September off; Sunday 20 September is a make-up workday.
    assert add_deadline(at(2026, 9, 24, 10, 0), 1, WORKING_DAYS, calendar=calendar) == at(2026, 9, 28, 17, 30)
    assert add_deadline(at(2026, 9, 18, 16, 0), 1, WORKING_DAYS, calendar=calendar) == at(2026, 9, 20, 17, 30)


def test_working_hours_run_over_the_weekend_and_lunch(calendar):
    # Friday 16:30 + 3h: one hour on Friday, then Monday 09:00–11:00.
    assert add_deadline(at(2026, 11, 20, 16, 30), 3, WORKING_HOURS, calendar=calendar) == at(2026, 11, 23, 11, 0)
    # 11:00 + 2h: one hour before lunch, lunch 12:00–13:30 is not counted.
    assert add_deadline(at(2026, 11, 23, 11, 0), 2, WORKING_HOURS, calendar=calendar) == at(2026, 11, 23, 14, 30)


def test_working_hours_skip_the_national_day_holiday(calendar):
    # 30 September 17:00 + 1h: half an hour that day; 1–7 October off; 8 October 09:00 + 30 min.
    assert add_deadline(at(2026, 9, 30, 17, 0), 1, WORKING_HOURS, calendar=calendar) == at(2026, 10, 8, 9, 30)


def test_emergency_hours_are_clock_hours(calendar):
    assert add_deadline(at(2026, 10, 1, 23, 0), 2, EMERGENCY_HOURS, calendar=calendar) == at(2026, 10, 2, 1, 0)


def test_unknown_unit_and_negative_amount_are_refused(calendar):
    with pytest.raises(ValueError):
        add_deadline(at(2026, 1, 5, 9, 0), 1, "fortnights", calendar=calendar)
    with pytest.raises(ValueError):
        add_deadline(at(2026, 1, 5, 9, 0), -1, WORKING_DAYS, calendar=calendar)


def test_a_category_counts_its_deadline_in_its_own_unit(calendar):
    from apps.gbcp.models import Category

    category = Category.objects.exclude(deadline_unit="").filter(deadline_unit=WORKING_DAYS).first()
    start = at(2026, 11, 20, 10, 0)
    assert category.deadline_from(start, calendar) == add_deadline(start, category.deadline_amount, WORKING_DAYS, calendar=calendar)
