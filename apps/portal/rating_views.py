"""The reporter rates a closed task (综合评价): on the tracking page, or on the page the SMS link opens.

Who may rate on the tracking page: the signed-in reporter (``Task.reporter_user``), or whoever has the tracking
code and confirms the last 4 digits of the phone number given with the report. The code alone is not enough
(it is printed, shared, forwarded). A report without phone or account is rated by 12345 or on the call-back only.
The SMS link's signed token is the key on its own: it went to the reporter's phone. Every rating attempt
(a wrong digit too) counts towards ``PORTAL_RATINGS_PER_HOUR`` per client.
"""
import hmac

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from apps.accounts.throttling import hit, too_many_requests
from apps.dispatch import selectors
from apps.dispatch import services as dispatch_services
from apps.dispatch.models import TaskRating
from apps.gbcp.errors import ApplicationError, NotFound
from apps.portal.rating_forms import RatingForm, TrackRatingForm


def _over_rating_limit(request):
    limit = settings.PORTAL_RATINGS_PER_HOUR
    retry_after = hit(request, group="portal-rate", rate=f"{limit}/h")
    if retry_after is None:
        return None
    return too_many_requests(request, retry_after=retry_after, message=_("Too many rating attempts. Please try again later, or call 12345."))


def _is_reporter(request, task) -> bool:
    return bool(request.user.is_authenticated and task.reporter_user_id and task.reporter_user_id == request.user.pk)


def _digits(value) -> str:
    return "".join(ch for ch in (value or "") if ch.isdigit())


def _digits_match(task, last4) -> bool:
    phone = _digits(task.reporter_phone)
    return len(phone) >= 4 and hmac.compare_digest(phone[-4:], _digits(last4))


def _rating_of(task):
    return TaskRating.objects.filter(task_id=task.pk).first()


def track_rating_context(request, report, task, form=None) -> dict:
    """What ``portal/_track_rating.html`` shows for this report: the rating, or the form when this visitor may rate."""
    state = dispatch_services.rating_status(task)
    merged = report.master_id is not None
    is_reporter = _is_reporter(request, task)
    may_rate = state == "awaiting" and not merged and (is_reporter or bool(_digits(task.reporter_phone)))
    if may_rate and form is None:
        form = TrackRatingForm(needs_digits=not is_reporter)
    return {
        "rating_state": state, "rating": _rating_of(task) if state == "rated" else None,
        "rating_form": form if may_rate else None, "rating_merged": merged,
        "rating_no_contact": state == "awaiting" and not merged and not may_rate,
    }


def _rate_page(request, *, task, form, action_url, status=200, done=False, rating=None, error=None, tracking_code=None):
    return render(request, "portal/rate.html", {
        "task": task, "form": form, "action_url": action_url, "done": done, "rating": rating, "error": error,
        "tracking_code": tracking_code,
    }, status=status)


@never_cache
@require_POST
def track_rate(request, code):
    try:
        report = selectors.task_get_by_tracking_code(code=code)
    except NotFound:
        raise Http404
    if report.master_id is not None:
        raise Http404  # a merged report has no rating of its own (the task that carries it is rated by its reporter)
    refused = _over_rating_limit(request)
    if refused is not None:
        return refused
    task = report
    is_reporter = _is_reporter(request, task)
    form = TrackRatingForm(request.POST, needs_digits=not is_reporter)
    if form.is_valid():
        if not is_reporter and not _digits_match(task, form.cleaned_data.get("phone_last4")):
            form.add_error("phone_last4", _("These digits do not match the phone number given with the report."))
        else:
            try:
                dispatch_services.rate_task(task=task, level=form.cleaned_data["level"], comment=form.cleaned_data["comment"],
                                            channel=TaskRating.Channel.PORTAL, user=request.user if request.user.is_authenticated else None)
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Thank you for your rating."))
                return redirect("portal-track", code=task.tracking_code)
    return _rate_page(request, task=task, form=form, action_url=request.path, status=400, tracking_code=task.tracking_code)


@never_cache
def rate_by_link(request, token):
    """The page the SMS opens: the signed token is the key; an expired or forged one gets a clear page."""
    try:
        task = dispatch_services.task_for_rating_token(token)
    except dispatch_services.RatingLinkError as exc:
        return render(request, "portal/rate_link_invalid.html", {"message": exc.message, "expired": exc.code == "link_expired"},
                      status=exc.status_code)
    state = dispatch_services.rating_status(task)
    if state != "awaiting":
        return _rate_page(request, task=task, form=None, action_url=request.path, done=True, rating=_rating_of(task),
                          error=None if state == "rated" else _("This task can no longer be rated."), tracking_code=task.tracking_code)
    if request.method == "POST":
        refused = _over_rating_limit(request)
        if refused is not None:
            return refused
        form = RatingForm(request.POST)
        if form.is_valid():
            try:
                dispatch_services.rate_task(task=task, level=form.cleaned_data["level"], comment=form.cleaned_data["comment"],
                                            channel=TaskRating.Channel.SMS, user=request.user if _is_reporter(request, task) else None)
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Thank you for your rating."))
                return redirect(request.path)
        return _rate_page(request, task=task, form=form, action_url=request.path, status=400, tracking_code=task.tracking_code)
    return _rate_page(request, task=task, form=RatingForm(), action_url=request.path, tracking_code=task.tracking_code)
