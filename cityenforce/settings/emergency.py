"""Settings of apps.emergency (应急调度); every value can come from the environment."""
import os

__all__ = ["EMERGENCY_CAP_FEED_URLS", "EMERGENCY_CAP_TIMEOUT", "EMERGENCY_CAP_MAX_BYTES"]

# Space-separated http(s) URLs of CAP 1.2 feeds (one alert per document, or an Atom/RSS index of alert links).
EMERGENCY_CAP_FEED_URLS = os.environ.get("EMERGENCY_CAP_FEED_URLS", "").split()
EMERGENCY_CAP_TIMEOUT = float(os.environ.get("EMERGENCY_CAP_TIMEOUT", "10"))  # seconds per request
EMERGENCY_CAP_MAX_BYTES = int(os.environ.get("EMERGENCY_CAP_MAX_BYTES", str(512 * 1024)))  # larger documents are refused

from cityenforce.settings.work import CELERY_BEAT_SCHEDULE  # noqa: E402

# Poll the feeds every few minutes (only when feeds are configured does it fetch anything).
CELERY_BEAT_SCHEDULE["emergency-fetch-alerts"] = {
    "task": "apps.emergency.tasks.fetch_alerts", "schedule": float(os.environ.get("EMERGENCY_CAP_POLL_SECONDS", "300")),
}
