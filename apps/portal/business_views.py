"""The business's pages (商户门户): sign-up by USCC and phone code, its home, the notices sent to it.

A merchant sees only its own business here; staff, citizens and other businesses are told "not there" (404).
"""
import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_ratelimit.core import get_usage
from redis.exceptions import RedisError

from apps.accounts.throttling import hit, too_many_requests
from apps.gbcp.errors import ApplicationError, NotFound
from apps.portal import business_services, notice_services, selectors
from apps.portal.business_forms import SignupForm, VerifyForm

SESSION_KEY = "portal_business_signup"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _phone_key(phone):
    return lambda group, request: hashlib.sha256(phone.encode()).hexdigest()


def _refused(request, *, group, rate, key=None):
    """429 when this client (or, with ``key``, this phone) is over ``rate``; None otherwise."""
    if key is None:
        retry_after = hit(request, group=group, rate=rate)
    else:
        try:
            usage = get_usage(request, group=group, key=key, rate=rate, increment=True)
        except (RedisError, ConnectionError, TimeoutError, OSError):
            usage = None  # the cache is away: as apps.accounts.throttling.hit, let it through
        retry_after = max(1, int(usage["time_left"])) if usage and usage["should_limit"] else None
    if retry_after is None:
        return None
    return too_many_requests(request, retry_after=retry_after, message=_("Too many code requests. Please wait a while and try again."))


@never_cache
def signup(request):
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        uscc, phone = form.cleaned_data["uscc"], form.cleaned_data["phone"]
        refused = (_refused(request, group="portal-code-address", rate=settings.PORTAL_CODE_RATE_PER_ADDRESS)
                   or _refused(request, group="portal-code-phone", rate=settings.PORTAL_CODE_RATE_PER_PHONE, key=_phone_key(phone)))
        if refused is not None:
            return refused
        business_services.business_code_request(uscc=uscc, phone=phone)
        request.session[SESSION_KEY] = {"uscc": uscc, "phone": phone}
        # The same answer whether or not the business and phone are in the ledger.
        messages.info(request, _("If this phone is registered for the business, a code is on its way."))
        return redirect("portal-business-verify")
    return render(request, "portal/business_signup.html", {"form": form}, status=400 if form.is_bound and form.errors else 200)


@never_cache
def verify(request):
    pending = request.session.get(SESSION_KEY)
    if not pending:
        return redirect("portal-business-signup")
    form = VerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        refused = _refused(request, group="portal-code-verify", rate=settings.PORTAL_VERIFY_RATE_PER_ADDRESS)
        if refused is not None:
            return refused
        try:
            account = business_services.business_code_verify(uscc=pending["uscc"], phone=pending["phone"], code=form.cleaned_data["code"])
        except ApplicationError as exc:
            form.add_error("code", exc.message)
        else:
            request.session.pop(SESSION_KEY, None)
            login(request, account, backend=MODEL_BACKEND)
            messages.success(request, _("Welcome, %(name)s.") % {"name": account.display_name})
            return redirect("portal-business-home")
    masked = "*" * max(0, len(pending["phone"]) - 4) + pending["phone"][-4:]
    return render(request, "portal/business_verify.html", {"form": form, "phone": masked},
                  status=400 if form.is_bound and form.errors else 200)


@login_required
def home(request):
    try:
        entity = selectors.business_entity(user=request.user)
    except NotFound:
        raise Http404
    return render(request, "portal/business_home.html", {
        "entity": entity, "places": list(selectors.business_places(user=request.user)[:50]),
        "licences": list(selectors.business_licences(user=request.user)[:50]),
        "notices": list(selectors.business_notices(user=request.user)[:20]),
        "sections": settings.PORTAL_BUSINESS_SECTIONS,
    })


@login_required
def notice_detail(request, pk):
    try:
        receipt = selectors.business_notice_get(user=request.user, notice_id=pk)
        notice_services.notice_read(user=request.user, receipt=receipt)
    except NotFound:
        raise Http404
    return render(request, "portal/business_notice.html", {"receipt": receipt, "notice": receipt.notice})


@login_required
@require_POST
def notice_acknowledge(request, pk):
    try:
        receipt = selectors.business_notice_get(user=request.user, notice_id=pk)
        notice_services.notice_acknowledge(user=request.user, receipt=receipt)
    except NotFound:
        raise Http404
    messages.success(request, _("Thank you: your acknowledgement is recorded."))
    return redirect("portal-business-notice", pk=pk)
