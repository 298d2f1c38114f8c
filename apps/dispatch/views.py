"""Staff pages of the task centre: intake queue, task page with its action forms, overdue board."""
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.decorators import staff_required
from apps.cases.selectors import case_for_task
from apps.dispatch import export, forms, selectors, selectors_ui, selectors_workbench, services
from apps.dispatch.models import Deferral, DuplicateCandidate, Status, TaskPhoto, WhistleSummons
from apps.dispatch.policy import WHISTLE_POLICY, task_actions
from apps.gbcp.errors import ApplicationError, NotFound
from apps.gbcp.files import send_image
from apps.gbcp.masking import clearance_for
from apps.gbcp.paging import EstimatingPaginator

PAGE_SIZE = 25


def _task_or_404(user, pk):
    try:
        return selectors.task_get_for_user(user=user, id=pk)
    except NotFound:
        raise Http404


def _map_context():
    return {"tiles_url": settings.MAP_TILES_URL, "tiles_attribution": settings.MAP_TILES_ATTRIBUTION}


def _queue_filters(request, form) -> dict:
    """The form's filters plus the workbench's links: several ``status`` values, ``mine=1``, ``day=YYYY-MM-DD``."""
    filters = dict(form.cleaned_data) if form.is_valid() else {}
    statuses = [s for s in request.GET.getlist("status") if s in Status.values]
    if len(statuses) > 1:
        filters["status"] = statuses
    filters["mine"] = request.GET.get("mine") == "1"
    try:
        filters["day"] = parse_date(request.GET.get("day") or "")  # None when absent or not a date
    except ValueError:  # well formed but impossible (2026-02-30)
        filters["day"] = None
    return filters


@staff_required
def queue(request):
    form = forms.QueueFilterForm(request.GET)
    qs = selectors_workbench.queue_for_user(user=request.user, **_queue_filters(request, form))
    if request.GET.get("format") == "xlsx":
        rows = qs[: selectors_workbench.EXPORT_LIMIT]
        response = HttpResponse(export.queue_xlsx(tasks=rows, clearance=clearance_for(request.user), viewer=request.user),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="tasks-{timezone.localdate().isoformat()}.xlsx"'
        return response
    page = EstimatingPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    tasks = list(page.object_list)
    return render(request, "dispatch/queue.html", {
        "form": form, "page": page, "tasks": tasks,
        "geojson": selectors_ui.tasks_geojson(tasks), **_map_context(),
    })


@login_required
def task_photo(request, pk):
    """A task photo (``?size=thumb``: its thumbnail) for whoever may see the task; to anyone else signed in it is
    not found, exactly like a photo that does not exist (no 403 that would confirm it exists)."""
    try:
        photo = selectors.task_photo_get_for_user(user=request.user, id=pk)
    except NotFound:
        raise Http404
    return send_image(request, photo.image, download_name=selectors.photo_download_name(photo))


@staff_required
def overdue(request):
    groups, total = selectors_ui.overdue_board_for_user(user=request.user)
    return render(request, "dispatch/overdue.html", {"groups": groups, "total": total})


def _history_rows(task, limit=30):
    records = list(task.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    rows = []
    for newer, older in zip(records, records[1:] + [None]):
        if len(rows) == limit:
            break
        changed = []
        if older is not None:
            changed = [task._meta.get_field(c.field).verbose_name for c in newer.diff_against(older).changes if c.field != "updated_at"]
        rows.append({"record": newer, "changed": changed})
    return rows


def _photos_context(task):
    """Report photos and feedback (after handling) photos apart: the dispatcher compares them when verifying."""
    photos = list(task.photos.all())
    return {
        "report_photos": [p for p in photos if p.stage == TaskPhoto.Stage.REPORT],
        "feedback_photos": [p for p in photos if p.stage == TaskPhoto.Stage.FEEDBACK],
    }


@staff_required
def task_detail(request, pk):
    task = _task_or_404(request.user, pk)
    steps = selectors_ui.flow_steps(task)
    # Which forms and buttons the page shows: the steps the policy lets this user do now.
    can = task_actions(request.user, task)
    whistles = list(task.whistles.select_related("street_office", "blown_by").prefetch_related(
        Prefetch("summonses", queryset=WhistleSummons.objects.select_related("department", "reported_by").order_by("department__name"))
    ).order_by("-blown_at"))
    for whistle in whistles:
        for summons in whistle.summonses.all():
            summons.lateness = selectors_ui.summons_lateness(summons)
            summons.can_report_in = WHISTLE_POLICY.allows(request.user, "report_in", summons)
    action_forms = {
        "category": forms.CategoryForm(initial={"category": task.category_id}) if can["set_category"] else None,
        "dispatch": forms.DispatchForm(task=task) if can["dispatch"] else None,
        "return": forms.ReasonForm() if can["return"] else None,
        "feedback": forms.FeedbackForm() if can["feedback"] else None,
        "verify": forms.VerifyForm(initial={"decision": "approve"}, task=task) if can["verify"] else None,
        "defer": forms.DeferForm() if can["defer"] else None,
        "whistle": forms.WhistleForm(task=task) if can["blow"] else None,
    }
    point = selectors_ui.tasks_geojson([task])
    escalated_case = case_for_task(task=task)
    can["escalate"] = can["escalate"] and escalated_case is None  # one case per task (the service's already_escalated)
    can["approve_deferral"] = can["approve_deferral"] or can["approve_deferral_as_leader"]
    return render(request, "dispatch/task_detail.html", {
        "task": task, "can": can, "escalated_case": escalated_case, "action_forms": action_forms, "steps": steps,
        "suggestions": list(selectors.suggestions_for_task(task=task).select_related("candidate__category")),
        "merged_reports": list(task.duplicates.select_related("category").order_by("received_at", "id")),
        "logs": list(task.logs.select_related("actor")),
        "whistles": whistles,
        "deferrals": list(task.deferrals.select_related("requested_by", "approved_by", "written_off_by").order_by("-created_at")),
        "history": _history_rows(task),
        **_photos_context(task),
        "clearance": clearance_for(request.user),
        "geojson": point, **_map_context(),
    })


# --- actions: each validates its small form, calls one service, and returns to the task page ---

def _set_category(request, task, data):
    services.task_set_category(user=request.user, task=task, category=data["category"])
    return _("Category set; route and deadline updated.")


def _dispatch(request, task, data):
    services.task_dispatch(user=request.user, task=task, organization=data.get("organization"), note=data.get("note", ""),
                           officer_id=data.get("officer"))
    return _("Task dispatched.")


def _accept(request, task, data):
    services.task_accept(user=request.user, task=task)
    return _("Task accepted.")


def _return(request, task, data):
    services.task_return(user=request.user, task=task, reason=data["reason"])
    return _("Task returned to the dispatcher.")


def _arrive(request, task, data):
    services.task_arrive(user=request.user, task=task)
    return _("Arrival on site recorded.")


def _feedback(request, task, data):
    services.task_feedback(user=request.user, task=task, result=data["result"], solved=data["solved"], photos=data.get("photos") or ())
    return _("Result reported; the task awaits verification.")


def _verify(request, task, data):
    approved = data["decision"] == "approve"
    services.task_verify(user=request.user, task=task, approved=approved, reason=data.get("reason", ""),
                         rating=(data.get("rating") or None) if approved else None, rating_comment=data.get("rating_comment", ""),
                         complaint_upheld=bool(data.get("complaint_upheld")) and approved)
    return _("Task closed.") if approved else _("Task sent back for handling.")


def _defer(request, task, data):
    services.task_defer(user=request.user, task=task, plan=data["plan"], target_date=data["target_date"])
    return _("Task put on the ledger.")


def _approve_deferral(request, task, data):
    deferral = get_object_or_404(Deferral, pk=data["deferral"], task=task)
    services.deferral_approve(user=request.user, deferral=deferral)
    return _("Deferral approved.")


def _write_off(request, task, data):
    deferral = get_object_or_404(Deferral, pk=data["deferral"], task=task)
    services.deferral_write_off(user=request.user, deferral=deferral, result=data["result"])
    return _("Written off; the task awaits verification.")


def _whistle(request, task, data):
    services.whistle_blow(user=request.user, task=task, departments=data["departments"], reason=data["reason"], minutes=data.get("minutes"))
    return _("Whistle blown; the departments have been summoned.")


def _report_in(request, task, data):
    summons = get_object_or_404(WhistleSummons, pk=data["summons"], whistle__task=task)
    services.summons_report_in(user=request.user, summons=summons)
    return _("Reported in.")


def _decide(request, task, data):
    candidate = get_object_or_404(DuplicateCandidate, pk=data["candidate"], task=task)
    services.duplicate_decide(user=request.user, candidate=candidate, merge=data["merge"])
    return _("Merged into %(number)s.") % {"number": candidate.candidate.number} if data["merge"] else _("Kept as a separate task.")


def _escalate(request, task, data):
    case = services.task_escalate(user=request.user, task=task)
    return _("Escalated to case %(number)s; complete the cause and facts on the case page.") % {"number": case.number}


ACTIONS = {
    "escalate": (forms.EmptyForm, _escalate),
    "category": (forms.CategoryForm, _set_category),
    "dispatch": (forms.DispatchForm, _dispatch),
    "accept": (forms.EmptyForm, _accept),
    "return": (forms.ReasonForm, _return),
    "arrive": (forms.EmptyForm, _arrive),
    "feedback": (forms.FeedbackForm, _feedback),
    "verify": (forms.VerifyForm, _verify),
    "defer": (forms.DeferForm, _defer),
    "approve-deferral": (forms.DeferralForm, _approve_deferral),
    "write-off": (forms.WriteOffForm, _write_off),
    "whistle": (forms.WhistleForm, _whistle),
    "report-in": (forms.SummonsForm, _report_in),
    "decide": (forms.DuplicateDecisionForm, _decide),
}


@staff_required
@require_POST
def task_action(request, pk, action):
    if action not in ACTIONS:
        raise Http404
    task = _task_or_404(request.user, pk)
    form_class, handler = ACTIONS[action]
    form = form_class(request.POST, request.FILES, task=task)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
    else:
        try:
            messages.success(request, handler(request, task, form.cleaned_data))
        except ApplicationError as exc:
            messages.error(request, exc.message)
    return redirect("dispatch-task-detail", pk=task.pk)

