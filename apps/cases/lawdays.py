"""Art. 85 of the Administrative Penalty Law: its limits of "two, three, five and seven days" are working days.

Every such limit of the cases app is counted here, on the working calendar (apps.gbcp.workcalendar):
the count starts on the next working day after the event and the limit ends at the end of its last
working day, so a notice given on the eve of a holiday leaves the party every day the law gives.
Longer limits (15 days to pay, 60 days for review, 6 months for litigation, 90 days to decide) are
calendar days and are not counted here (docs/CASES.md, "Limits").
"""
import datetime as dt

from django.utils import timezone

from apps.gbcp.workcalendar import WORKING_DAYS, Calendar, add_deadline

HEARING_REQUEST = 5  # art. 64(1): the party asks for a hearing within 5 days of the notice
SERVICE = 7  # art. 61: a decision not handed over on the spot is served within 7 days
DISCLOSURE = 7  # art. 48 with 国办发〔2018〕118号: a decision is published within 7 working days
WITHDRAWAL = 3  # art. 48(2): a published decision changed, revoked or found unlawful is withdrawn within 3 days
HEARING_NOTICE = 7  # art. 64(2): the party is told of the hearing's time and place 7 days before it
CASH_HANDIN = 2  # art. 71: a fine collected on the spot is handed in to the organ within 2 days

WORKING_DAY_LIMITS = {"hearing_request": HEARING_REQUEST, "service": SERVICE, "disclosure": DISCLOSURE, "withdrawal": WITHDRAWAL,
                      "hearing_notice": HEARING_NOTICE, "cash_handin": CASH_HANDIN}


def last_day(start, days: int, *, calendar: Calendar | None = None) -> dt.date:
    """The last day of a limit of ``days`` working days from ``start`` (an aware datetime)."""
    if start is None:
        return None
    return timezone.localtime(add_deadline(start, days, WORKING_DAYS, calendar=calendar)).date()


def end_of_last_day(start, days: int, *, calendar: Calendar | None = None) -> dt.datetime:
    """The moment such a limit runs out: the end (24:00) of its last working day, local time."""
    if start is None:
        return None
    day = last_day(start, days, calendar=calendar)
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min)) - dt.timedelta(microseconds=1)
