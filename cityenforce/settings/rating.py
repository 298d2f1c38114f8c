"""Settings of the citizen rating (综合评价, docs/DISPATCH.md "Citizen evaluation") and of the SMS provider
(``apps.realtime.sms``), star-imported by ``cityenforce/settings/__init__.py``; every value from the environment."""
import os

__all__ = [
    "DISPATCH_REOPEN_WITHIN_DAYS", "DISPATCH_RATING_WITHIN_DAYS", "DISPATCH_RATING_LINK_DAYS", "PORTAL_PUBLIC_BASE_URL",
    "PORTAL_RATINGS_PER_HOUR", "SMS_PROVIDER", "SMS_ACCESS_KEY", "SMS_ACCESS_SECRET", "SMS_SIGN_NAME", "SMS_ENDPOINT", "SMS_TEMPLATES",
]

DISPATCH_REOPEN_WITHIN_DAYS = int(os.environ.get("DISPATCH_REOPEN_WITHIN_DAYS", "7"))  # dissatisfied within this of closing → 重办
DISPATCH_RATING_WITHIN_DAYS = int(os.environ.get("DISPATCH_RATING_WITHIN_DAYS", "30"))  # after this a closed task stays unrated
DISPATCH_RATING_LINK_DAYS = int(os.environ.get("DISPATCH_RATING_LINK_DAYS", "14"))  # the SMS rating link expires after this
# Where links in text messages lead (the public portal) if not PUBLIC_BASE_URL (apps.gbcp.publicurl); the SMS is
# sent by a worker, with no request to take the host from: set PUBLIC_BASE_URL in production.
PORTAL_PUBLIC_BASE_URL = os.environ.get("PORTAL_PUBLIC_BASE_URL", "")
PORTAL_RATINGS_PER_HOUR = int(os.environ.get("PORTAL_RATINGS_PER_HOUR", "20"))  # rating attempts per client (wrong digits count)

# The provider class (a subclass of apps.realtime.sms.SmsProvider); the default logs and sends nothing.
SMS_PROVIDER = os.environ.get("SMS_PROVIDER", "apps.realtime.sms.LoggingProvider")
# What a real provider reads (never committed: from the environment only).
SMS_ACCESS_KEY = os.environ.get("SMS_ACCESS_KEY", "")
SMS_ACCESS_SECRET = os.environ.get("SMS_ACCESS_SECRET", "")
SMS_SIGN_NAME = os.environ.get("SMS_SIGN_NAME", "")  # the approved signature (签名), e.g. 城市管理
SMS_ENDPOINT = os.environ.get("SMS_ENDPOINT", "")
# Our name of a template → the provider's id of the approved template; the approved Chinese text of each:
#   rate_task: "您反映的问题（编号${number}）已办结，请对办理结果进行评价：${url} ，链接${expires}前有效。"
#              params: number (task number), url (the rating link), expires (date the link stops working)
SMS_TEMPLATES = {
    "rate_task": os.environ.get("SMS_TEMPLATE_RATE_TASK", "SMS_000001"),
}
