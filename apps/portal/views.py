"""Public pages of the citizen portal: report a problem on a map, follow it by its tracking code."""
import json
import logging

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from apps.accounts.throttling import hit, too_many_requests
from apps.dispatch import selectors
from apps.dispatch.models import Status
from apps.gbcp.errors import ApplicationError, NotFound
from apps.gbcp.models import Region
from apps.portal import rating_views, services
from apps.portal.forms import ReportForm

# 城市管理七步闭环: 信息采集 → 案卷建立 → 任务派遣 → 任务处理 → 处理反馈 → 核查结案 → 综合评价
LOOP_STEPS = [
    gettext_lazy("Information collection"),
    gettext_lazy("Case filing"),
    gettext_lazy("Task dispatch"),
    gettext_lazy("Handling"),
    gettext_lazy("Handling feedback"),
    gettext_lazy("Verification and closing"),
    gettext_lazy("Evaluation"),
]
EVALUATION_AWAITING = gettext_lazy("Evaluation: awaiting your rating")
EVALUATION_UNRATED = gettext_lazy("Evaluation: not rated")
# How many steps of the loop a status has completed.
STEPS_DONE = {
    Status.NEW: 2, Status.DISPATCHED: 3, Status.ACCEPTED: 3, Status.IN_PROGRESS: 3, Status.DEFERRED: 3,
    Status.FEEDBACK: 5, Status.CLOSED: 6,
}
OUTLINES_CACHE_KEY = "portal:district-outlines:v1"
logger = logging.getLogger(__name__)


def district_outlines():
    """Simplified district boundaries, so the map is usable with no base tiles at all.

    The cache only saves work: with Redis away the outlines are computed, and the page still answers.
    """
    try:
        data = cache.get(OUTLINES_CACHE_KEY)
    except Exception:  # the cache's backend is away
        logger.warning("portal outlines: cache unavailable", exc_info=True)
        data = None
    if data is None:
        features = [
            {"type": "Feature", "properties": {"name": r.name},
             "geometry": json.loads(r.boundary.simplify(0.002, preserve_topology=True).geojson)}
            for r in Region.objects.filter(level=Region.Level.DISTRICT).exclude(boundary=None).only("name", "boundary")
        ]
        data = {"type": "FeatureCollection", "features": features}
        try:
            cache.set(OUTLINES_CACHE_KEY, data, 24 * 3600)
        except Exception:
            logger.warning("portal outlines: not cached", exc_info=True)
    return data


def _over_report_limit(request):
    """Count one report from this client (its address behind our trusted proxies); a 429 page past the limit.

    One atomic increment in the cache decides, so of parallel reports exactly the limit gets through.
    """
    limit = settings.CITIZEN_REPORTS_PER_HOUR
    retry_after = hit(request, group="portal-report", rate=f"{limit}/h")
    if retry_after is None:
        return None
    return too_many_requests(request, retry_after=retry_after, template="portal/rate_limited.html", context={"limit": limit})


def report(request):
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES)
        if form.is_valid():
            # Counted once the form is valid (a typo costs nothing), before anything is stored.
            refused = _over_report_limit(request)
            if refused is not None:
                return refused
            data = form.cleaned_data
            try:
                outcome = services.citizen_report_submit_once(
                    user=request.user, submission_token=data["submission_token"], lat=data["lat"], lon=data["lon"],
                    description=data["description"], category=data["category"], reporter_name=data["reporter_name"],
                    reporter_phone=data["reporter_phone"], photos=data["photos"],
                )
            except ApplicationError as exc:
                if exc.code == "idempotency_key_reused":
                    exc.message = _("This form was already sent with other content. Check the form and send it again.")
                    form.renew_submission_token()
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Thank you. Your report has been received."))
                return redirect("portal-track", code=outcome.body["tracking_code"])
    else:
        form = ReportForm()
    # A refused form is a 400 (the page with its errors), so clients and monitors see the refusal.
    return render(request, "portal/report.html", {
        "form": form, "outlines": district_outlines(),
        "tiles_url": settings.MAP_TILES_URL, "tiles_attribution": settings.MAP_TILES_ATTRIBUTION,
    }, status=400 if form.is_bound and form.errors else 200)


def _progress(task, rating_state):
    """The seven steps; the last is done only when the reporter rated (an unrated task is awaiting, or stays unrated)."""
    done = STEPS_DONE.get(task.status, 0)
    if task.status == Status.CLOSED and rating_state == "rated":
        done = 7
    steps = [{"label": label, "state": "done" if i < done else ("current" if i == done else "todo")} for i, label in enumerate(LOOP_STEPS)]
    if task.status == Status.CLOSED and rating_state != "rated":
        steps[-1]["label"] = EVALUATION_AWAITING if rating_state == "awaiting" else EVALUATION_UNRATED
        steps[-1]["state"] = "current" if rating_state == "awaiting" else "todo"
    return steps


@never_cache
def track(request, code):
    try:
        report = selectors.task_get_by_tracking_code(code=code)
    except NotFound:
        raise Http404
    # A merged report follows the task that carries the problem; its text and reporter stay hidden.
    task = report.master if report.master_id else report
    rating = rating_views.track_rating_context(request, report, task)
    return render(request, "portal/track.html", {
        "report": report, "task": task, "merged": report.master_id is not None,
        "steps": _progress(task, rating["rating_state"]), "closed": task.status == Status.CLOSED, **rating,
    })


@never_cache
def track_lookup(request):
    code = (request.GET.get("code") or "").strip().upper()
    error = None
    if code:
        try:
            selectors.task_get_by_tracking_code(code=code)
        except NotFound:
            error = _("No report has this tracking code. Check it and try again.")
        else:
            return redirect("portal-track", code=code)
    return render(request, "portal/track_lookup.html", {"code": code, "error": error}, status=404 if error else 200)
