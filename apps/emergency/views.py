"""Staff pages of emergency (应急调度), mounted at /emergency/: the overview (incidents, warnings in force, one key per
matching pre-plan), pre-plans with their versions and the editor, warnings with the CAP upload, one warning, one
incident (timeline, tasks, duty posts, nearest units, map, note, closing report).

Another jurisdiction's plan, warning or incident answers 404 like one that does not exist; staff without an emergency
role, citizens and merchants get 403; anonymous callers go to the login page. Every write goes through the services.
"""
import json

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.decorators import staff_required
from apps.devices import selectors as device_selectors
from apps.emergency import cap, forms, policy, selectors, services
from apps.emergency.models import EventType, Incident, IncidentEntry
from apps.gbcp.errors import ApplicationError
from apps.gbcp.jurisdiction import narrowest

PAGE_SIZE = 20
SIMPLIFY = 0.0002  # degrees (about 20 m): region outlines drawn on a page, not measured


def _reader(request):
    if not selectors.may_read(request.user):
        raise PermissionDenied


def _tiles():
    return {"tiles_url": settings.MAP_TILES_URL, "tiles_attribution": settings.MAP_TILES_ATTRIBUTION}


def _geojson(geometry, simplify=False):
    if geometry is None:
        return None
    if simplify:
        geometry = geometry.simplify(SIMPLIFY, preserve_topology=True)
    return json.loads(geometry.geojson)


def _activatable(user, plans) -> list:
    return [p for p in plans if policy.can_activate(user, p.region)]


# ---- overview ----------------------------------------------------------------------------------------------

@staff_required
def home(request):
    _reader(request)
    active = list(selectors.incident_list_for_user(user=request.user, status=Incident.Status.ACTIVE).order_by("-opened_at", "-pk")[:50])
    closed = Paginator(selectors.incident_list_for_user(user=request.user, status=Incident.Status.CLOSED).order_by("-closed_at", "-pk"),
                       PAGE_SIZE).get_page(request.GET.get("page"))
    alerts = list(selectors.current_alerts(user=request.user)[:10])
    matching = selectors.plans_matching_alerts(user=request.user, alerts=alerts)
    return render(request, "emergency/home.html", {
        "active": active, "page": closed, "closed": list(closed.object_list),
        "alerts": [(a, _activatable(request.user, matching.get(a.pk, []))) for a in alerts],
    })


# ---- pre-plans ---------------------------------------------------------------------------------------------

@staff_required
def plan_list(request):
    _reader(request)
    event_type = request.GET.get("event_type", "")
    if event_type not in EventType.values:
        event_type = ""
    qs = selectors.plan_list_for_user(user=request.user, event_type=event_type or None, current_only=False).order_by(
        "event_type", "region__code", "-version")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "emergency/plans.html", {
        "page": page, "plans": list(page.object_list), "event_type": event_type, "event_types": EventType.choices,
        "may_edit": selectors.editable_regions(user=request.user).exists(),
    })


@staff_required
def plan_detail(request, pk):
    _reader(request)
    plan = selectors.plan_get_for_user(user=request.user, id=pk)
    return render(request, "emergency/plan_detail.html", {
        "plan": plan, "steps": list(plan.steps.all()), "versions": list(selectors.plan_versions(user=request.user, plan=plan)),
        "may_edit": policy.can_edit_plans(request.user, plan.region), "may_activate": plan.is_current and policy.can_activate(request.user, plan.region),
        "incidents": list(plan.incidents.order_by("-opened_at")[:10]),
    })


def _plan_form(request, plan=None):
    regions = selectors.editable_regions(user=request.user)
    if plan is not None and not policy.can_edit_plans(request.user, plan.region):
        raise PermissionDenied
    if plan is None and not regions.exists():
        raise PermissionDenied
    # An edit names squads and grids of the plan's region; a new plan those of the editor's whole jurisdiction.
    scopes = [plan.region.scope] if plan is not None else narrowest(regions.values_list("scope", flat=True))
    squads, grids, categories = selectors.step_choices(scopes=scopes)
    choices = {"squads": squads, "grids": grids, "categories": categories}
    data = request.POST if request.method == "POST" else None
    initial = {"title": plan.title, "summary": plan.summary} if plan is not None else {}
    form = forms.PlanForm(data, regions=regions, fixed=plan, initial=initial)
    steps_initial = [forms.step_initial(s) for s in plan.steps.all()] if plan is not None else None
    steps = forms.StepFormSet(data, initial=steps_initial, prefix="steps", form_kwargs=choices)
    status = 200
    if data is not None:
        if form.is_valid() and steps.is_valid():
            region = plan.region if plan is not None else form.cleaned_data["region"]
            event_type = plan.event_type if plan is not None else form.cleaned_data["event_type"]
            try:
                made = services.plan_publish(user=request.user, region=region, event_type=event_type, title=form.cleaned_data["title"],
                                             summary=form.cleaned_data["summary"], steps=steps.steps())
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Version %(version)d of the pre-plan is now the current one.") % {"version": made.version})
                return redirect("emergency-plan-detail", pk=made.pk)
        status = 400
    return render(request, "emergency/plan_form.html", {"form": form, "steps": steps, "plan": plan}, status=status)


@staff_required
def plan_new(request):
    _reader(request)
    return _plan_form(request)


@staff_required
def plan_edit(request, pk):
    _reader(request)
    plan = selectors.plan_get_for_user(user=request.user, id=pk)
    if not plan.is_current:
        current = selectors.plan_versions(user=request.user, plan=plan).filter(is_current=True).first()
        if current is None:
            raise Http404
        return redirect("emergency-plan-edit", pk=current.pk)
    return _plan_form(request, plan)


@staff_required
@require_POST
def plan_activate(request, pk):
    """一键启动 from a page: the plan (and the warning it answers, if any) must be the caller's to see."""
    _reader(request)
    plan = selectors.plan_get_for_user(user=request.user, id=pk)
    alert = None
    raw = request.POST.get("alert", "")
    if raw:
        alert = selectors.alert_get_for_user(user=request.user, id=raw)
    try:
        incident = services.incident_activate(user=request.user, plan=plan, alert=alert)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("emergency-plan-detail", pk=plan.pk)
    messages.success(request, _("Pre-plan activated: the squads have been told."))
    return redirect("emergency-incident-detail", pk=incident.pk)


# ---- warnings ----------------------------------------------------------------------------------------------

@staff_required
def alert_list(request):
    _reader(request)
    may_upload = policy.can_receive_alerts(request.user)
    form = forms.AlertUploadForm()
    status = 200
    if request.method == "POST":
        if not may_upload:
            raise PermissionDenied
        form = forms.AlertUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                alert, created = services.alert_receive(user=request.user, data=form.cleaned_data["document"])
            except cap.CapError as exc:
                form.add_error("document", _("Not a valid CAP 1.2 warning: %(reason)s") % {"reason": str(exc)})
            else:
                messages.success(request, _("Warning received.") if created else _("This warning had already been received."))
                if selectors.alert_list_for_user(user=request.user).filter(pk=alert.pk).exists():
                    return redirect("emergency-alert-detail", pk=alert.pk)
                messages.info(request, _("It touches none of your jurisdiction's regions, so it is not listed here."))
                return redirect("emergency-alerts")
        status = 400
    page = Paginator(selectors.alert_list_for_user(user=request.user).order_by("-sent", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "emergency/alerts.html", {"page": page, "alerts": list(page.object_list), "form": form,
                                                     "may_upload": may_upload, "now": timezone.now()}, status=status)


@staff_required
def alert_detail(request, pk):
    _reader(request)
    alert = selectors.alert_get_for_user(user=request.user, id=pk)
    regions = list(alert.regions.order_by("code"))
    plans = list(selectors.plans_matching_alert(user=request.user, alert=alert, regions=regions))
    in_force = not alert.is_cancelled and alert.superseded_by_id is None
    layers = [{"kind": "region", "label": r.name, "geojson": _geojson(r.boundary, simplify=True)} for r in regions if r.boundary]
    if alert.area is not None:
        layers.append({"kind": "alert", "label": str(alert), "geojson": _geojson(alert.area)})
    return render(request, "emergency/alert_detail.html", {
        "alert": alert, "regions": regions, "plans": [(p, in_force and policy.can_activate(request.user, p.region)) for p in plans],
        "map_data": {"layers": layers, "points": []}, **_tiles(),
    })


# ---- incidents ---------------------------------------------------------------------------------------------

def _incident_context(request, incident, note_form=None, close_form=None):
    entries = list(selectors.timeline(incident=incident))
    tasks = [(e.data.get("task"), e.text) for e in entries if e.kind == IncidentEntry.Kind.TASK and e.data.get("task")]
    posts = [e for e in entries if e.kind == IncidentEntry.Kind.DUTY]
    unit_rows, seen = [], set()
    for e in entries:
        if e.kind == IncidentEntry.Kind.UNITS:
            for unit in e.data.get("units", []):
                if unit["device"] not in seen:
                    seen.add(unit["device"])
                    unit_rows.append({**unit, "step": e.data.get("step")})
    positions = {s.device_id: s.point for s in device_selectors.unit_list_for_user(user=request.user).filter(device_id__in=seen)}
    points = [{"kind": "unit", "label": f"{u['code']} · {u['metres']} m", "lat": positions[u["device"]].y, "lon": positions[u["device"]].x}
              for u in unit_rows if u["device"] in positions]
    steps = list(incident.plan.steps.select_related("squad", "area_grid", "area_region", "category"))
    for step in steps:
        point = services.step_point(step, incident)
        if point is not None:
            points.append({"kind": "step", "label": f"{step.order}. {step.squad.name}: {step.action}", "lat": point.y, "lon": point.x})
    layers = []
    if incident.region.boundary is not None:
        layers.append({"kind": "region", "label": incident.region.name, "geojson": _geojson(incident.region.boundary, simplify=True)})
    if incident.alert_id and incident.alert.area is not None:
        layers.append({"kind": "alert", "label": str(incident.alert), "geojson": _geojson(incident.alert.area)})
    may_act = incident.status == Incident.Status.ACTIVE and policy.can_activate(request.user, incident.region)
    return {
        "incident": incident, "entries": entries, "tasks": tasks, "posts": posts, "units": unit_rows, "steps": steps,
        "map_data": {"layers": layers, "points": points}, "may_act": may_act,
        "note_form": note_form or forms.NoteForm(), "close_form": close_form or forms.CloseForm(), **_tiles(),
    }


@staff_required
def incident_detail(request, pk):
    _reader(request)
    incident = selectors.incident_get_for_user(user=request.user, id=pk)
    return render(request, "emergency/incident_detail.html", _incident_context(request, incident))


def _incident_write(request, pk, form_class, form_name, write, success):
    _reader(request)
    incident = selectors.incident_get_for_user(user=request.user, id=pk)
    if not policy.can_activate(request.user, incident.region):
        raise PermissionDenied
    form = form_class(request.POST)
    if form.is_valid():
        try:
            with transaction.atomic():
                write(incident, form.cleaned_data)
        except ApplicationError as exc:
            messages.error(request, exc.message)  # shown even when the form is not (a closed incident)
            form.add_error(None, exc.message)
        else:
            messages.success(request, success)
            return redirect(reverse("emergency-incident-detail", kwargs={"pk": incident.pk}))
    context = _incident_context(request, incident, **{form_name: form})
    return render(request, "emergency/incident_detail.html", context, status=400)


@staff_required
@require_POST
def incident_note(request, pk):
    return _incident_write(request, pk, forms.NoteForm, "note_form",
                           lambda incident, data: services.incident_note(user=request.user, incident=incident, text=data["text"]),
                           _("Note added to the timeline."))


@staff_required
@require_POST
def incident_close(request, pk):
    return _incident_write(request, pk, forms.CloseForm, "close_form",
                           lambda incident, data: services.incident_close(user=request.user, incident=incident, report=data["report"]),
                           _("Incident closed with its report."))
