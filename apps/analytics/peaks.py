"""高发时段: the weekday × hour matrix of intake, with holidays as their own row (docs/ANALYTICS.md §1)."""
from datetime import timedelta

from django.utils.translation import gettext as _

from apps.analytics import selectors


def row_labels():
    return [_("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"), _("Saturday"), _("Sunday"), _("Holiday")]


def day_rows(first, last, holidays, makeups) -> list[int]:
    """How many days of each row (1–8) the period holds: the divisor of the per-day rate."""
    holidays, makeups = set(holidays), set(makeups)
    days = [0] * (selectors.HOLIDAY_ROW + 1)
    day = first
    while day <= last:
        row = selectors.HOLIDAY_ROW if day in holidays else selectors.MAKEUP_ROW if day in makeups else day.isoweekday()
        days[row] += 1
        day += timedelta(days=1)
    return days[1:]


def peak_times(*, user, filters) -> dict:
    """Counts per row × hour, the days each row holds, the mean per day of that row and the peak cell."""
    counts = selectors.peak_counts(user=user, filters=filters)
    holidays, makeups = selectors.calendar_days(filters.first, filters.last)
    days = day_rows(filters.first, filters.last, holidays, makeups)
    matrix = [[counts.get((row, hour), 0) for hour in range(24)] for row in range(1, selectors.HOLIDAY_ROW + 1)]
    per_day = [[round(n / days[r], 3) if days[r] else None for n in matrix[r]] for r in range(len(matrix))]
    peak = max(((r, h) for r in range(len(matrix)) for h in range(24) if per_day[r][h] is not None), key=lambda c: per_day[c[0]][c[1]], default=None)
    return {
        "filters": filters.as_dict(), "rows": row_labels(), "hours": list(range(24)), "counts": matrix, "days": days, "per_day": per_day,
        "total": sum(map(sum, matrix)),
        "peak": None if peak is None or not matrix[peak[0]][peak[1]] else {"row": row_labels()[peak[0]], "hour": peak[1], "per_day": per_day[peak[0]][peak[1]]},
    }
