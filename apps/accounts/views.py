"""Pages of accounts: the second factor (code, enrolment), password change, and certificates per organisation."""
import base64

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from apps.accounts import otp, selectors
from apps.accounts.decorators import staff_required
from apps.accounts.forms import OTPCodeForm
from apps.accounts.throttling import hit, too_many_requests
from apps.gbcp.errors import ApplicationError, NotFound


def _next(request, default="home"):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return redirect(default).url


def _throttled(request):
    """Code attempts per client address (settings.RATE_LIMITS["otp"]); django-otp also slows each device down."""
    retry_after = hit(request, group="otp", rate=settings.RATE_LIMITS["otp"])
    return too_many_requests(request, retry_after=retry_after) if retry_after is not None else None


@login_required
def otp_verify(request):
    if not otp.needs_code(request):
        return redirect("otp-enrol") if otp.needs_enrolment(request) else redirect(_next(request))
    form = OTPCodeForm(request.POST or None)
    if request.method == "POST":
        refused = _throttled(request)
        if refused is not None:
            return refused
        if form.is_valid() and otp.verify(request=request, code=form.cleaned_data["code"]):
            return redirect(_next(request))
        if not request.session.get(otp.SESSION_DEVICE):
            return redirect("otp-enrol")
        form.add_error("code", _("The code is not correct."))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next(request)}, status=400 if form.errors else 200)


@login_required
def otp_enrol(request):
    """Scan the QR code with an authenticator app, then confirm with its first code."""
    if not request.session.get(otp.SESSION_STAFF):
        raise Http404  # the second factor is for staff and administrators
    if otp.needs_code(request):
        return redirect("otp-verify")
    if otp.confirmed_device(request.user) is not None:
        messages.info(request, _("Your authenticator is set up. Ask an administrator to reset it if you lost your phone."))
        return redirect(_next(request))
    form = OTPCodeForm(request.POST or None)
    device = otp.pending_device(request.user)
    if request.method == "POST" and device is not None:
        refused = _throttled(request)
        if refused is not None:
            return refused
        if form.is_valid():
            try:
                otp.enrolment_confirm(request=request, code=form.cleaned_data["code"])
            except ApplicationError as exc:
                form.add_error("code", exc.message)
            else:
                messages.success(request, _("Your authenticator is set up. From now on you enter its code after your password."))
                return redirect(_next(request))
    if device is None:
        device = otp.enrolment_start(user=request.user)
    return render(request, "accounts/otp_enrol.html", {
        "form": form, "qr": otp.qr_svg(device), "secret": base64.b32encode(device.bin_key).decode(), "next": _next(request),
        "required": otp.needs_enrolment(request),
    }, status=400 if form.errors else 200)


@login_required
def password_change(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)
        messages.success(request, _("Your password has been changed."))
        return redirect("home")
    return render(request, "accounts/password_change.html", {"form": form}, status=400 if form.errors else 200)


@staff_required
def certificates(request, pk=None):
    organizations = selectors.certificate_organizations(request.user)
    if pk is None:
        if not organizations:
            raise Http404
        organization = organizations[0]
    else:
        try:
            organization = selectors.organization_for_viewer(request.user, pk)
        except NotFound:
            raise Http404
    rows = selectors.certificate_rows(organization=organization)
    return render(request, "accounts/certificates.html", {
        "organization": organization, "organizations": organizations, "rows": rows,
        "warning_days": settings.CERTIFICATE_WARNING_DAYS,
    })
