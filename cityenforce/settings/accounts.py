"""Settings of apps.accounts: staff sign-in (second factor, session timeouts) and enforcement certificates."""
import os

from cityenforce.settings.base import DEMO_MODE, RATE_LIMITS, env_bool
from cityenforce.settings.work import CELERY_BEAT_SCHEDULE

# Second factor (TOTP, django-otp). Staff with a confirmed device always give a code after the password; with
# STAFF_OTP_REQUIRED staff without a device are sent to enrol one before any staff or admin page.
STAFF_OTP_REQUIRED = env_bool("STAFF_OTP_REQUIRED", not DEMO_MODE)
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "CityEnforce")
RATE_LIMITS["otp"] = os.environ.get("RATE_LIMIT_OTP", "10/10m")  # second-factor codes per client address (web and API)

# Back-office sessions: signed out after this long without a request, and after this long whatever happens.
# Citizens and merchants keep Django's SESSION_COOKIE_AGE. API tokens expire on their own (REST_KNOX).
STAFF_SESSION_IDLE_SECONDS = int(os.environ.get("STAFF_SESSION_IDLE_SECONDS", str(30 * 60)))
STAFF_SESSION_ABSOLUTE_SECONDS = int(os.environ.get("STAFF_SESSION_ABSOLUTE_SECONDS", str(12 * 3600)))
STAFF_SESSION_TOUCH_SECONDS = 60  # the last-seen time is written at most this often (one session write a minute)
STAFF_PASSWORD_MIN_LENGTH = int(os.environ.get("STAFF_PASSWORD_MIN_LENGTH", "12"))

# Enforcement certificates (执法证): officers and their squad leaders are warned this many days before expiry.
CERTIFICATE_WARNING_DAYS = int(os.environ.get("CERTIFICATE_WARNING_DAYS", "30"))
# Accounts lies below apps.realtime (.importlinter), so the warning's sender is named here, not imported.
CERTIFICATE_WARNING_PUBLISHER = "apps.realtime.events.publish"
CELERY_BEAT_SCHEDULE["accounts-certificates-warn"] = {"task": "apps.accounts.tasks.certificates_warn", "schedule": 6 * 3600.0}
