"""Portal writes: the per-IP rate limit and a citizen report with its photos (the report itself goes through task_intake)."""
import time

from django.conf import settings
from django.contrib.gis.geos import Point
from django.core.cache import cache

from apps.dispatch.models import Source
from apps.dispatch.services import IntakeResult, task_intake_with_photos

RATE_WINDOW_S = 3600


def _rate_key(ip: str) -> str:
    # A fixed hourly window keyed by IP: one atomic INCR in Redis, no read-modify-write race.
    return f"portal:reports:{ip}:{int(time.time() // RATE_WINDOW_S)}"


def report_rate_exceeded(*, ip: str) -> bool:
    return (cache.get(_rate_key(ip)) or 0) >= settings.CITIZEN_REPORTS_PER_HOUR


def report_rate_count(*, ip: str) -> int:
    key = _rate_key(ip)
    cache.add(key, 0, timeout=RATE_WINDOW_S)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=RATE_WINDOW_S)
        return 1


def report_rate_reset(*, ip: str) -> None:
    cache.delete(_rate_key(ip))


def citizen_report_submit(*, user, lat: float, lon: float, description: str, category=None, reporter_name="",
                          reporter_phone="", photos=()) -> IntakeResult:
    """Create the task with its photos (dispatch stores both in one transaction; a failure leaves neither)."""
    return task_intake_with_photos(
        photos=photos, user=user if getattr(user, "is_authenticated", False) else None, source=Source.CITIZEN,
        description=description, point=Point(lon, lat, srid=4326), category=category,
        reporter_name=reporter_name, reporter_phone=reporter_phone,
    )
