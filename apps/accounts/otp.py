"""The second factor (TOTP through django-otp): enrolment, verification, reset, and what the session remembers.

At sign-in (``user_logged_in``) the session notes whether the user is staff and has a confirmed device, so the
middleware decides every request from the session alone (no query per request). Enrolment creates an unconfirmed
TOTP device and confirms it with a first code; an administrator's reset deletes the user's devices (logged).
"""
import logging
import time

import segno
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.decorators import is_staff_user
from apps.gbcp.audit import acting_as
from apps.gbcp.errors import ApplicationError

logger = logging.getLogger(__name__)

SESSION_STAFF = "sec_staff"  # the signed-in user serves as staff (or is an administrator)
SESSION_DEVICE = "sec_has_device"  # the user had a confirmed device at sign-in (or enrolled one since)
SESSION_AUTH_AT = "sec_auth_at"  # epoch seconds of the password sign-in
SESSION_SEEN_AT = "sec_seen_at"  # epoch seconds of the last request (written at most once a minute)
DEVICE_NAME = "totp"


def confirmed_device(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def remember_sign_in(request, user) -> None:
    """Note in the session what the middleware needs: staff or not, device or not, when."""
    now = int(time.time())
    request.session[SESSION_STAFF] = bool(user.is_staff or is_staff_user(user))
    request.session[SESSION_DEVICE] = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    request.session[SESSION_AUTH_AT] = now
    request.session[SESSION_SEEN_AT] = now


@receiver(user_logged_in, dispatch_uid="accounts-remember-sign-in")
def _on_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        remember_sign_in(request, user)


def needs_enrolment(request) -> bool:
    return bool(settings.STAFF_OTP_REQUIRED and request.session.get(SESSION_STAFF) and not request.session.get(SESSION_DEVICE))


def needs_code(request) -> bool:
    user = request.user
    return bool(request.session.get(SESSION_DEVICE) and not (hasattr(user, "is_verified") and user.is_verified()))


@transaction.atomic
def enrolment_start(*, user) -> TOTPDevice:
    """The user's unconfirmed device (a new secret each time enrolment starts over); a confirmed one is refused."""
    if confirmed_device(user) is not None:
        raise ApplicationError(_("You already have an authenticator. Ask an administrator to reset it."), code="device_exists")
    with acting_as(user):
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def pending_device(user):
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


def qr_svg(device) -> str:
    """The otpauth:// URI of ``device`` as an inline SVG (segno), for the authenticator app to scan."""
    return segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#000", light="#fff")


def issuer_url(device) -> str:
    return device.config_url


@transaction.atomic
def enrolment_confirm(*, request, code: str) -> TOTPDevice:
    """Confirm the pending device with its first code; the session counts as verified from now on."""
    user = request.user
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        raise ApplicationError(_("Start the enrolment again."), code="no_pending_device")
    if not device.verify_token((code or "").strip()):
        raise ApplicationError(_("The code is not correct. Check the time on your phone and try again."), code="invalid_otp",
                               details={"code": [_("The code is not correct.")]})
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    otp_login(request, device)
    request.session[SESSION_DEVICE] = True
    logger.info("second factor enrolled for user %s", user.pk)
    return device


def verify(*, request, code: str) -> bool:
    """Check a code against the user's confirmed device (django-otp throttles repeated failures per device)."""
    device = confirmed_device(request.user)
    if device is None:  # reset by an administrator since sign-in
        request.session[SESSION_DEVICE] = False
        return False
    allowed, _detail = device.verify_is_allowed()
    if allowed and device.verify_token((code or "").strip()):
        otp_login(request, device)
        return True
    return False


def verify_user(*, user, code) -> bool | None:
    """For token sign-in: None when the user has no device, else whether ``code`` is correct."""
    device = confirmed_device(user)
    if device is None:
        return None
    allowed, _detail = device.verify_is_allowed()
    return bool(allowed and code and device.verify_token(str(code).strip()))


@transaction.atomic
def device_reset(*, user, target) -> int:
    """An administrator removes ``target``'s authenticators; the next sign-in enrols again. Logged."""
    count, _detail = TOTPDevice.objects.filter(user=target).delete()
    logger.warning("second factor reset for user %s by user %s (%s devices)", target.pk, getattr(user, "pk", None), count)
    return count
