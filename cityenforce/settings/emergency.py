"""Settings of apps.emergency (应急调度); every value can come from the environment."""
import os

from cityenforce.settings.portal import SMS_TEMPLATES as _EARLIER_SMS_TEMPLATES

__all__ = ["EMERGENCY_CAP_FEED_URLS", "EMERGENCY_CAP_TIMEOUT", "EMERGENCY_CAP_MAX_BYTES", "EMERGENCY_POST_RADIUS_M", "SMS_TEMPLATES"]

# Space-separated http(s) URLs of CAP 1.2 feeds (one alert per document, or an Atom/RSS index of alert links).
EMERGENCY_CAP_FEED_URLS = os.environ.get("EMERGENCY_CAP_FEED_URLS", "").split()
EMERGENCY_CAP_TIMEOUT = float(os.environ.get("EMERGENCY_CAP_TIMEOUT", "10"))  # seconds per request
EMERGENCY_CAP_MAX_BYTES = int(os.environ.get("EMERGENCY_CAP_MAX_BYTES", str(512 * 1024)))  # larger documents are refused
# A pre-plan step with a point becomes, on activation, a duty post of this radius (metres) for the incident's hours.
EMERGENCY_POST_RADIUS_M = int(os.environ.get("EMERGENCY_POST_RADIUS_M", "200"))

# The squad leaders' text message on activation; its approved Chinese text:
#   emergency_activated: "【应急】${plan}已启动：${squad}请立即执行：${action}。详情请登录平台查看事件${incident}。"
#   params: plan, squad, action, incident
SMS_TEMPLATES = {
    **_EARLIER_SMS_TEMPLATES,
    "emergency_activated": os.environ.get("SMS_TEMPLATE_EMERGENCY_ACTIVATED", "SMS_000005"),
}

from cityenforce.settings.work import CELERY_BEAT_SCHEDULE  # noqa: E402

# Poll the feeds every few minutes (only when feeds are configured does it fetch anything).
CELERY_BEAT_SCHEDULE["emergency-fetch-alerts"] = {
    "task": "apps.emergency.tasks.fetch_alerts", "schedule": float(os.environ.get("EMERGENCY_CAP_POLL_SECONDS", "300")),
}
