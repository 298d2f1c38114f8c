"""Settings of personal-data protection (PIPL): retention periods, the retention job and the access log.

Every period is in days and can come from the environment (``PRIVACY_RETENTION_<NAME>``). What each rule changes is
declared by its app in ``apps/<app>/privacy.py``; docs/OPERATIONS.md "Personal data" lists them.
"""
import os

from cityenforce.settings.base import MIDDLEWARE
from cityenforce.settings.work import CELERY_BEAT_SCHEDULE


def _days(name: str, default: int) -> int:
    return int(os.environ.get(f"PRIVACY_RETENTION_{name.upper()}", str(default)))


PRIVACY_RETENTION = {
    # A reporter's name and phone on a closed task, from closing. Two years cover the 12345 call-backs and re-opening
    # (重办), a year's evaluation and supervision, and the windows of administrative reconsideration (60 days) and
    # litigation (6 months) about the handling, with room to spare. The task itself stays (statistics, 三率).
    "task_reporter": _days("task_reporter", 730),
    # What an Open311 client sent about its user (name, e-mail, phone, device and account ids): as the reporter's.
    "open311_contact": _days("open311_contact", 730),
    # Sign-up codes sent by SMS to a business's phone: useless after minutes; kept a month to trace abuse.
    "portal_phone_code": _days("portal_phone_code", 30),
    # A citizen party's phone (a contact, not part of the decision, APL art. 59), from the archiving of their last
    # case: three years cover enforcement through the court and late reconsideration. Name, ID number and address stay
    # with the case file, which is an archive kept for the period the archives rules set (not deleted by software).
    "case_party_contact": _days("case_party_contact", 3 * 365),
    # The access log itself, then deleted: PIPL art. 56 asks for processing records to be kept at least three years.
    "access_log": _days("access_log", 3 * 365),
    # Raw GPS positions of officers and vehicles: pruned by the devices job (DEVICE_RETENTION_DAYS), listed here.
    "device_positions": int(os.environ.get("DEVICE_RETENTION_DAYS", "180")),
}
PRIVACY_RETENTION_BATCH = int(os.environ.get("PRIVACY_RETENTION_BATCH", "500"))  # rows per transaction

# Reads of personal data at full clearance are gathered per request and written in one INSERT at its end.
MIDDLEWARE = [*MIDDLEWARE, "apps.accounts.privacy.AccessLogMiddleware"]

CELERY_BEAT_SCHEDULE["gbcp-privacy-retention"] = {"task": "apps.gbcp.tasks.privacy_retention", "schedule": 24 * 3600.0}
