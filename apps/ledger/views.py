"""Staff pages of the ledger: overview, licences, findings with send-back, corrections queue, import, map."""
import json

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.decorators import staff_required
from apps.gbcp.errors import ApplicationError, NotFound
from apps.gbcp.masking import clearance_for, mask_phone
from apps.gbcp.privacy import note_unmasked
from apps.ledger import forms, selectors, services
from apps.ledger.models import Correction, Finding, FrontageZone, LicenceKind
from apps.ledger.policy import LEDGER, own_area

PAGE_SIZE = 25
DUTIES = dict(FrontageZone.Duty.choices)


def _actions(user):
    """The ledger steps the user may take over their own jurisdiction (which buttons the pages show)."""
    return LEDGER.actions(user, own_area(user))


def _map_context():
    return {"tiles_url": settings.MAP_TILES_URL, "tiles_attribution": settings.MAP_TILES_ATTRIBUTION}


@staff_required
def overview(request):
    return render(request, "ledger/overview.html", {
        "counts": selectors.overview_counts(user=request.user),
        "batches": selectors.batch_list_for_user(user=request.user)[:10],
        "runs": selectors.comparison_run_list(user=request.user),
        "actions": _actions(request.user),
    })


@staff_required
def licence_list(request):
    q = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    expired = {"1": True, "0": False}.get(request.GET.get("expired", ""))
    qs = selectors.licence_list_for_user(user=request.user, q=q or None, kind=kind or None, expired=expired)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "ledger/licences.html", {
        "page": page, "licences": list(page.object_list), "q": q, "kind": kind, "expired": request.GET.get("expired", ""),
        "kinds": LicenceKind.objects.order_by("code"),
    })


@staff_required
def finding_list(request):
    status = request.GET.get("status", "open")
    qs = selectors.finding_list_for_user(user=request.user, status=status or None, rule=request.GET.get("rule") or None)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "ledger/findings.html", {
        "page": page, "findings": list(page.object_list), "status": status, "rule": request.GET.get("rule", ""),
        "statuses": Finding.Status.choices, "rules": Finding.Rule.choices, "form": forms.SendBackForm(),
        "send_backs": selectors.send_back_list_for_user(user=request.user)[:10], "actions": _actions(request.user),
    })


@staff_required
@require_POST
def comparison_start(request):
    try:
        run = services.comparison_run(user=request.user)
        messages.success(request, _("Comparison done: %(new)d new, %(open)d still open, %(resolved)d resolved.") % {
            "new": run.findings_new, "open": run.findings_open, "resolved": run.findings_resolved})
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("ledger-findings")


@staff_required
@require_POST
def finding_send_back(request):
    form = forms.SendBackForm(request.POST)
    ids = [int(i) for i in request.POST.getlist("finding") if i.isdigit()]
    if not form.is_valid() or not ids:
        messages.error(request, _("Choose findings and name the department."))
        return redirect("ledger-findings")
    findings = list(selectors.finding_list_for_user(user=request.user).filter(pk__in=ids))
    try:
        send_back = services.finding_send_back(user=request.user, findings=findings, department=form.cleaned_data["department"],
                                               fmt=form.cleaned_data["fmt"])
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("ledger-findings")
    messages.success(request, _("%(n)d findings sent back to %(department)s.") % {"n": len(findings), "department": send_back.department})
    return redirect("ledger-findings")


@staff_required
def send_back_download(request, pk):
    try:
        send_back = selectors.send_back_get_for_user(user=request.user, id=pk)
    except NotFound:
        raise Http404
    content_type = "text/csv; charset=utf-8" if send_back.file_name.endswith(".csv") else (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response = HttpResponse(bytes(send_back.content), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{send_back.file_name}"'
    return response


@staff_required
def correction_list(request):
    status = request.GET.get("status", Correction.Status.PENDING)
    qs = selectors.correction_list_for_user(user=request.user, status=status or None)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    corrections = list(page.object_list)
    for correction in corrections:
        correction.may_review = LEDGER.allows(request.user, "review_correction", correction)
    return render(request, "ledger/corrections.html", {
        "page": page, "corrections": corrections, "status": status, "statuses": Correction.Status.choices,
    })


@staff_required
@require_POST
def correction_review(request, pk):
    try:
        correction = selectors.correction_get_for_user(user=request.user, id=pk)
    except NotFound:
        raise Http404
    form = forms.ReviewForm(request.POST)
    form.is_valid()
    try:
        services.correction_review(user=request.user, correction=correction, accept=request.POST.get("decision") == "accept",
                                   note=form.cleaned_data.get("note", ""))
        messages.success(request, _("Correction reviewed."))
    except NotFound:
        raise Http404
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("ledger-corrections")


@staff_required
def import_page(request):
    if not LEDGER.may_act(request.user, "import", own_area(request.user)):
        raise PermissionDenied
    report = None
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.ledger_import(user=request.user, kind=form.cleaned_data["kind"], file=form.cleaned_data["file"],
                                            department=form.cleaned_data["department"])
        except ApplicationError as exc:
            form.add_error(None, exc.message)
    return render(request, "ledger/import.html", {"form": form, "report": report})


def _geojson(zones, key_points, clearance, viewer=None):
    features = []
    for zone in zones:
        if zone.zone is None:
            continue
        features.append({"type": "Feature", "geometry": json.loads(zone.zone.geojson), "properties": {
            "layer": "zone", "title": f"{zone.code} {zone.place.name}", "detail": "、".join(str(DUTIES.get(d, d)) for d in zone.duties),
            "person": zone.responsible_name, "phone": mask_phone(zone.responsible_phone, clearance)}})
        note_unmasked(user=viewer, value=zone.responsible_phone, what="responsible_phone", subject=zone)  # full clearance: logged
    for point in key_points:
        geometry = point.area or (point.place.point if point.place else None)
        if geometry is None:
            continue
        features.append({"type": "Feature", "geometry": json.loads(geometry.geojson), "properties": {
            "layer": "key_point", "title": f"{point.code} {point.name}", "detail": point.reason,
            "interval": point.interval_days}})
    return {"type": "FeatureCollection", "features": features}


@staff_required
def map_page(request):
    zones = selectors.zone_list_for_user(user=request.user)[:2000]
    key_points = selectors.key_point_list_for_user(user=request.user, active_only=True)[:500]
    return render(request, "ledger/map.html", {
        "geojson": _geojson(zones, key_points, clearance_for(request.user), viewer=request.user), **_map_context(),
    })


@staff_required
def correction_new(request):
    """An officer reports an error in a ledger record (citizens use the API from the portal)."""
    source = request.POST if request.method == "POST" else request.GET
    target_type, target_id = source.get("target_type", ""), source.get("target_id", "")
    if not target_id.isdigit():
        raise Http404
    try:  # staff pages: the records of the user's jurisdiction, through the same selectors as the lists
        target = selectors.correction_target_get_for_user(user=request.user, target_type=target_type, id=int(target_id))
    except (NotFound, KeyError):
        raise Http404
    model = type(target)
    choices = [(name, model._meta.get_field(name).verbose_name) for name in services.CORRECTABLE_FIELDS[model]]
    form = forms.CorrectionReportForm(request.POST or None, fields=choices,
                                      initial={"target_type": target_type, "target_id": target_id})
    if request.method == "POST" and form.is_valid():
        try:
            services.correction_report(user=request.user, target=target, field=form.cleaned_data["field"],
                                       proposed_value=form.cleaned_data["proposed_value"], reason=form.cleaned_data["reason"])
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Thank you: the correction waits for review."))
            return redirect("ledger-corrections")
    return render(request, "ledger/correction_new.html", {"form": form, "target": target})
