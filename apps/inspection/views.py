"""Staff pages of patrol inspection (plans with coverage, assignments, draws, a place's history) and the public draw pages."""
import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.decorators import staff_required
from apps.accounts.jurisdiction import jurisdiction_prefixes
from apps.gbcp.errors import ApplicationError, NotFound
from apps.gbcp.selectors import place_get_for_user
from apps.inspection import forms, selectors, services
from apps.inspection.models import Assignment
from apps.inspection.policy import INSPECTION

PAGE_SIZE = 25


def _map_context():
    return {"tiles_url": settings.MAP_TILES_URL, "tiles_attribution": settings.MAP_TILES_ATTRIBUTION}


def _default_region(user):
    prefixes = jurisdiction_prefixes(user)
    return prefixes[0] if prefixes else "1101"


@staff_required
def home(request):
    """Assignments due in the coming week and overdue, and the plans of the user's area."""
    today = timezone.localdate()
    mine = request.GET.get("mine") == "1"
    due = selectors.assignment_list_for_user(user=request.user, status=Assignment.Status.OPEN, mine=mine, due_before=today + dt.timedelta(days=7))
    overdue = selectors.assignment_list_for_user(user=request.user, status=Assignment.Status.OVERDUE, mine=mine)
    plans = selectors.plan_list_for_user(user=request.user)[:20]
    form = forms.PlanForm(initial={"region_code": _default_region(request.user), "starts_on": today})
    return render(request, "inspection/home.html", {
        "due": due[:50], "overdue": overdue[:50], "n_due": due.count(), "n_overdue": overdue.count(), "plans": plans,
        "mine": mine, "form": form, "today": today,
    })


@staff_required
@require_POST
def plan_create(request):
    form = forms.PlanForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(request, f"{form.fields[field].label if field in form.fields else ''}: {' '.join(errors)}")
        return redirect("inspection-home")
    d = form.cleaned_data
    try:
        plan = services.plan_create(user=request.user, name=d["name"], region_code=d["region_code"], place_kinds=d["place_kinds"],
                                    interval_days=d["interval_days"], starts_on=d["starts_on"])
        created = services.plan_generate_assignments(user=request.user, plan=plan, until=d["starts_on"] + dt.timedelta(days=d["generate_days"]))
    except NotFound:
        messages.error(request, _("That region is outside your jurisdiction."))
        return redirect("inspection-home")
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("inspection-home")
    messages.success(request, _("Plan created with %(n)d assignments.") % {"n": len(created)})
    return redirect("inspection-plan-detail", pk=plan.pk)


@staff_required
def plan_detail(request, pk):
    try:
        plan = selectors.plan_get_for_user(user=request.user, id=pk)
    except NotFound:
        raise Http404
    assignments = selectors.assignment_list_for_user(user=request.user, plan=plan)
    page = Paginator(assignments, PAGE_SIZE).get_page(request.GET.get("page"))
    coverage = selectors.plan_coverage(plan=plan)
    counts = {"done": 0, "open": 0, "overdue": 0}
    for feature in coverage["features"]:
        counts[feature["properties"]["state"]] += 1
    return render(request, "inspection/plan_detail.html", {
        "plan": plan, "page": page, "coverage": coverage, "counts": counts, **_map_context(),
    })


@staff_required
def draws(request):
    form = forms.DrawForm(request.POST or None, initial={"region_code": _default_region(request.user)})
    if request.method == "POST" and form.is_valid():
        try:
            draw = services.draw_create(user=request.user, **form.cleaned_data)
        except NotFound:
            form.add_error("region_code", _("That region is outside your jurisdiction."))
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Draw made. Check it, then publish it."))
            return redirect("inspection-draw-detail", pk=draw.pk)
    page = Paginator(selectors.draw_list_for_user(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "inspection/draws.html", {"form": form, "page": page})


@staff_required
def draw_detail(request, pk):
    try:
        draw = selectors.draw_get_for_user(user=request.user, id=pk)
    except NotFound:
        raise Http404
    return render(request, "inspection/draw_detail.html", {
        "draw": draw, "rows": selectors.draw_rows(draw=draw), "replay": services.draw_replay(draw=draw), "public": False,
        "may_publish": INSPECTION.allows(request.user, "publish_draw", draw),
    })


@staff_required
@require_POST
def draw_publish(request, pk):
    try:
        draw = selectors.draw_get_for_user(user=request.user, id=pk)
        services.draw_publish(user=request.user, draw=draw)
    except NotFound:
        raise Http404
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The draw is published."))
    return redirect("inspection-draw-detail", pk=pk)


@staff_required
def place_history(request, pk):
    try:
        place = place_get_for_user(user=request.user, id=pk)
    except NotFound:
        raise Http404
    return render(request, "inspection/place_history.html", {
        "place": place, "history": selectors.place_history(user=request.user, place=place),
        "checklist": selectors.checklist_for_place(place=place),
    })


def public_draws(request):
    """双随机一公开: published draws, for everyone."""
    page = Paginator(selectors.draw_list_published(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "inspection/public_draws.html", {"page": page})


def public_draw_detail(request, pk):
    try:
        draw = selectors.draw_get_published(id=pk)
    except NotFound:
        raise Http404
    return render(request, "inspection/draw_detail.html", {"draw": draw, "rows": selectors.draw_rows(draw=draw), "public": True})
