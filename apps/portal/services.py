"""Portal writes: the per-IP rate limit and a citizen report with its photos (the report itself goes through task_intake)."""
import os
import time

from django.conf import settings
from django.contrib.gis.geos import Point
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import transaction

from apps.dispatch.models import Source
from apps.dispatch.services import IntakeResult, task_intake
from apps.portal.models import ReportPhoto

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


def _remove_photo_dir(tracking_code: str) -> None:
    folder = f"reports/{tracking_code}"
    try:
        _dirs, files = default_storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in files:
        default_storage.delete(f"{folder}/{name}")
    path = getattr(default_storage, "path", None)
    if path is not None:
        try:
            os.rmdir(path(folder))
        except OSError:
            pass


def citizen_report_submit(*, user, lat: float, lon: float, description: str, category=None, reporter_name="",
                          reporter_phone="", photos=()) -> IntakeResult:
    """Create the task and store its photos in one transaction; on any failure no task and no file remain."""
    report_code = None
    try:
        with transaction.atomic():
            result = task_intake(
                user=user if getattr(user, "is_authenticated", False) else None, source=Source.CITIZEN,
                description=description, point=Point(lon, lat, srid=4326), category=category,
                reporter_name=reporter_name, reporter_phone=reporter_phone,
            )
            report_code = result.report.tracking_code
            for upload in photos:
                ReportPhoto.objects.create(task=result.report, image=upload)
    except BaseException:
        # Files are not transactional: the rolled-back report's folder goes too.
        if report_code:
            _remove_photo_dir(report_code)
        raise
    return result
