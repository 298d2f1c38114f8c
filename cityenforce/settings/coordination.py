"""Settings of apps.coordination (协调联动); every value can come from the environment."""
import os

from cityenforce.settings.base import RATE_LIMITS
from cityenforce.settings.work import CELERY_BEAT_SCHEDULE

__all__ = ["COORDINATION_REMINDER_HOURS", "COORDINATION_SHARE_PAGE_SIZE", "COORDINATION_SHARE_MAX_PAGE_SIZE", "COORDINATION_TOKEN_MAX_DAYS"]

# A case lead's receipt or result: a reminder this many hours before it is due, a warning once it is overdue.
COORDINATION_REMINDER_HOURS = int(os.environ.get("COORDINATION_REMINDER_HOURS", "24"))
# Shared data (数据共享): records per page of /api/coordination/share/<dataset>/, and the longest life of a token.
COORDINATION_SHARE_PAGE_SIZE = int(os.environ.get("COORDINATION_SHARE_PAGE_SIZE", "100"))
COORDINATION_SHARE_MAX_PAGE_SIZE = int(os.environ.get("COORDINATION_SHARE_MAX_PAGE_SIZE", "500"))
COORDINATION_TOKEN_MAX_DAYS = int(os.environ.get("COORDINATION_TOKEN_MAX_DAYS", "366"))
# Calls of the token endpoint per client address (refused tokens count too).
RATE_LIMITS["coordination-share"] = os.environ.get("RATE_LIMIT_COORDINATION_SHARE", "120/m")

# The deadline sweep of case leads: reminders and warnings, each sent once per lead.
CELERY_BEAT_SCHEDULE["coordination-leads-sweep"] = {
    "task": "apps.coordination.tasks.leads_sweep", "schedule": float(os.environ.get("COORDINATION_SWEEP_SECONDS", "900")),
}
