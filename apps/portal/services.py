"""Portal writes: a citizen report with its photos (the report itself goes through task_intake; the rate limit is apps.accounts.throttling)."""
from django.contrib.gis.geos import Point

from apps.dispatch.models import Source
from apps.dispatch.services import IntakeAnswer, IntakeResult, task_intake_idempotent, task_intake_with_photos
from apps.gbcp import idempotency


def citizen_report_submit(*, user, lat: float, lon: float, description: str, category=None, reporter_name="",
                          reporter_phone="", photos=()) -> IntakeResult:
    """Create the task with its photos (dispatch stores both in one transaction; a failure leaves neither)."""
    return task_intake_with_photos(
        photos=photos, user=user if getattr(user, "is_authenticated", False) else None, source=Source.CITIZEN,
        description=description, point=Point(lon, lat, srid=4326), category=category,
        reporter_name=reporter_name, reporter_phone=reporter_phone,
    )


def citizen_report_submit_once(*, user, submission_token: str | None, lat: float, lon: float, description: str, category=None,
                               reporter_name="", reporter_phone="", photos=()) -> IntakeAnswer:
    """The report form's submission, once per form token: a double click or a resend after a lost answer
    finds the first report (its tracking code) instead of making a second task."""
    signed_in = getattr(user, "is_authenticated", False)
    report = {"lat": lat, "lon": lon, "description": description, "category": category.code if category else None,
              "reporter_name": reporter_name, "reporter_phone": reporter_phone}
    return task_intake_idempotent(
        scope=f"portal:user:{user.pk}" if signed_in else "portal:anonymous", key=submission_token,
        fingerprint=idempotency.fingerprint(report, [idempotency.file_digest(photo) for photo in photos]),
        intake=lambda: citizen_report_submit(user=user, lat=lat, lon=lon, description=description, category=category,
                                             reporter_name=reporter_name, reporter_phone=reporter_phone, photos=photos),
        answer=lambda result: (302, {"tracking_code": result.report.tracking_code}),
    )
