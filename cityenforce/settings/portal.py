"""Settings of co-governance (社会共治): business sign-up codes, targeted notices, rectifications and their SMS templates."""
import os

from cityenforce.settings.rating import SMS_TEMPLATES as _RATING_SMS_TEMPLATES

__all__ = [
    "PORTAL_CODE_TTL_SECONDS", "PORTAL_CODE_MAX_ATTEMPTS", "PORTAL_BUSINESS_SECTIONS", "INSPECTION_RECTIFICATION_MAX_DAYS",
    "INSPECTION_SELF_CHECK_FIX_DAYS", "SMS_TEMPLATES",
]

PORTAL_CODE_TTL_SECONDS = int(os.environ.get("PORTAL_CODE_TTL_SECONDS", "300"))  # a sign-up code is valid 5 minutes
PORTAL_CODE_MAX_ATTEMPTS = int(os.environ.get("PORTAL_CODE_MAX_ATTEMPTS", "5"))  # wrong codes before it is void
# Sections other apps add to the business's home page (templates rendered with the request): the portal
# imports no app of its own floor, so inspection's part (results, rectifications) is named here, by the project.
PORTAL_BUSINESS_SECTIONS = ["inspection/_business_section.html"]
INSPECTION_RECTIFICATION_MAX_DAYS = int(os.environ.get("INSPECTION_RECTIFICATION_MAX_DAYS", "60"))  # latest deadline allowed
INSPECTION_SELF_CHECK_FIX_DAYS = int(os.environ.get("INSPECTION_SELF_CHECK_FIX_DAYS", "7"))  # default deadline of a self-found problem

# More approved templates (see rating.py for the rest); the approved Chinese text of each:
#   business_code: "您的验证码为${code}，5分钟内有效。如非本人操作请忽略。"  params: code
#   rectification_notice: "您经营的${place}存在需整改的问题，请于${deadline}前整改并在商户门户回复。"  params: place, deadline
#   business_notice: "城市管理部门向您发送了通知《${title}》，请登录商户门户查看并确认。"  params: title
SMS_TEMPLATES = {
    **_RATING_SMS_TEMPLATES,
    "business_code": os.environ.get("SMS_TEMPLATE_BUSINESS_CODE", "SMS_000002"),
    "rectification_notice": os.environ.get("SMS_TEMPLATE_RECTIFICATION_NOTICE", "SMS_000003"),
    "business_notice": os.environ.get("SMS_TEMPLATE_BUSINESS_NOTICE", "SMS_000004"),
}

# Sign-up code requests and checks, per client address and per phone (django-ratelimit rates).
PORTAL_CODE_RATE_PER_ADDRESS = os.environ.get("PORTAL_CODE_RATE_PER_ADDRESS", "10/h")
PORTAL_CODE_RATE_PER_PHONE = os.environ.get("PORTAL_CODE_RATE_PER_PHONE", "5/h")
PORTAL_VERIFY_RATE_PER_ADDRESS = os.environ.get("PORTAL_VERIFY_RATE_PER_ADDRESS", "30/h")
__all__ += ["PORTAL_CODE_RATE_PER_ADDRESS", "PORTAL_CODE_RATE_PER_PHONE", "PORTAL_VERIFY_RATE_PER_ADDRESS"]
