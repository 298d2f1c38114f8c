"""Art. 85: the 5-day hearing request and the 7-day service count working days on the working calendar."""
import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from apps.cases import lawdays, services
from apps.cases.models import Status
from apps.gbcp import services as gbcp_services
from apps.gbcp.errors import ApplicationError
from apps.gbcp.workcalendar import Calendar

SH = ZoneInfo("Asia/Shanghai")
EVE_OF_NATIONAL_DAY = dt.datetime(2026, 9, 30, 15, 0, tzinfo=SH)  # a Wednesday; 1–7 Oct are holidays, Sat 10 Oct is worked


def test_five_working_days_from_the_eve_of_national_day_skip_the_holiday_and_count_the_make_up_saturday(db):
    # 8, 9, 10 (the make-up Saturday), 12, 13 October.
    assert lawdays.last_day(EVE_OF_NATIONAL_DAY, 5) == dt.date(2026, 10, 13)
    # Seven: … 14, 15 October; the limit runs to the end of that day.
    assert lawdays.end_of_last_day(EVE_OF_NATIONAL_DAY, 7) == dt.datetime(2026, 10, 15, 23, 59, 59, 999999, tzinfo=SH)


def test_without_the_make_up_saturday_the_limit_ends_a_day_later(db):
    gbcp_services.calendar_day_set(user=None, date=dt.date(2026, 10, 10), is_workday=False, note="测试：取消调休")
    assert lawdays.last_day(EVE_OF_NATIONAL_DAY, 5) == dt.date(2026, 10, 14)


def test_an_ordinary_week_counts_from_the_next_working_day_and_skips_the_weekend():
    calendar = Calendar(overrides={}, published_years={2026})
    friday = dt.datetime(2026, 11, 20, 10, tzinfo=SH)
    assert lawdays.last_day(friday, 5, calendar=calendar) == dt.date(2026, 11, 27)
    assert lawdays.last_day(friday, 2, calendar=calendar) == dt.date(2026, 11, 24)


def _notified_on_the_eve(case, officer1, legal, leader):
    services.case_set_penalty(user=officer1, case=case, level="serious", fine="20000", departure_reason="涉案面积大，按严重阶次")
    services.case_submit_review(user=officer1, case=case)
    services.case_legal_review(user=legal, case=case, passed=True)
    services.case_leader_approve(user=leader, case=case)
    return services.case_notify(user=officer1, case=case, at=EVE_OF_NATIONAL_DAY)


@pytest.mark.django_db
def test_a_notice_before_national_day_leaves_the_party_five_working_days_to_ask_for_a_hearing(investigating, officer1, legal, leader):
    case = _notified_on_the_eve(investigating, officer1, legal, leader)
    assert services.hearing_request_deadline(case) == dt.date(2026, 10, 13)
    # Thirteen calendar days later is still in time: the old count (5 calendar days, 5 October) would have refused it.
    services.case_hearing_request(user=officer1, case=case, at=dt.datetime(2026, 10, 13, 17, 0, tzinfo=SH))
    case.refresh_from_db()
    assert case.hearing_requested_at is not None


@pytest.mark.django_db
def test_a_hearing_request_the_day_after_the_fifth_working_day_is_refused(investigating, officer1, legal, leader):
    case = _notified_on_the_eve(investigating, officer1, legal, leader)
    with pytest.raises(ApplicationError) as late:
        services.case_hearing_request(user=officer1, case=case, at=dt.datetime(2026, 10, 14, 9, 0, tzinfo=SH))
    assert late.value.code == "hearing_request_late" and "2026-10-13" in late.value.message


@pytest.mark.django_db
def test_the_leader_may_not_decide_while_the_working_day_window_is_open_and_service_is_due_in_seven_working_days(investigating, officer1, legal, leader):
    case = _notified_on_the_eve(investigating, officer1, legal, leader)
    case.filed_at = case.decision_due = None  # the decision limit is not what this test is about
    case.save()
    with pytest.raises(ApplicationError):
        services.case_decide(user=leader, case=case, at=dt.datetime(2026, 10, 12, 10, 0, tzinfo=SH))
    decided = services.case_decide(user=leader, case=case, at=dt.datetime(2026, 10, 14, 10, 0, tzinfo=SH))
    assert decided.status == Status.DECIDED
    # 15, 16, 19, 20, 21, 22, 23 October.
    assert decided.service_due == dt.datetime(2026, 10, 23, 23, 59, 59, 999999, tzinfo=SH)
