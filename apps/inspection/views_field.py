"""The officer's inspection in the browser, at phone width (巡查即录入): find the place by its QR label photographed
with the phone's camera, its city code or the phone's position; two officers fill the place's checklist with photos;
a failed item becomes a task or a case in one step. Writes go through the inspection services, reads through its
selectors; a record or finding outside the user's area is "not found"."""
from django.contrib import messages
from django.contrib.gis.geos import Point
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.decorators import staff_required
from apps.evidence.selectors import evidence_for_subject
from apps.gbcp.errors import ApplicationError, NotFound
from apps.gbcp.selectors import place_get_for_user
from apps.inspection import forms_field, selectors, services
from apps.inspection.models import InspectionRecord
from apps.inspection.policy import INSPECTION

IDENTIFIED_BY = {choice for choice, _label in InspectionRecord.IdentifiedBy.choices}


def _point(data):
    if data.get("lat") is None or data.get("lon") is None:
        return None
    return Point(data["lon"], data["lat"], srid=4326)


def _error_into(form, exc: ApplicationError):
    fields = [name for name in (exc.details or {}) if name in form.fields]
    for name in fields:
        form.add_error(name, "; ".join(str(m) for m in exc.details[name]))
    if not fields:
        form.add_error(None, str(exc.message))


@staff_required
def record_start(request):
    """Step 1: which place. The photo is read for its QR code on the server (pyzbar), as the mobile API does."""
    posted = request.method == "POST"
    form = forms_field.FindPlaceForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        data = form.cleaned_data
        try:
            match = services.place_identify(user=request.user, qr_photo=data.get("qr_photo"), city_code=(data.get("city_code") or "").strip(),
                                            point=_point(data))
        except NotFound:
            form.add_error(None, _("No place with this code in your area."))
        except ApplicationError as exc:
            _error_into(form, exc)
        else:
            return redirect(f"/inspection/record/places/{match.place.pk}/?by={match.identified_by}")
    return render(request, "inspection/field_start.html", {"form": form, "section": "record"}, status=400 if form.errors else 200)


@staff_required
def record_new(request, place_pk):
    """Step 2: the checklist of the place's kind, the second officer, photos; saved through ``inspection_record``."""
    try:
        place = place_get_for_user(user=request.user, id=place_pk)
    except NotFound:
        raise Http404
    checklist = selectors.checklist_for_place(place=place)
    items = list(checklist.items.filter(is_active=True).order_by("order", "pk")) if checklist else []
    posted = request.method == "POST"
    form = forms_field.RecordForm(request.POST if posted else None, request.FILES if posted else None, items=items, user=request.user,
                                  co_officers=selectors.co_officer_list_for_user(user=request.user))
    by = request.GET.get("by") if request.GET.get("by") in IDENTIFIED_BY else InspectionRecord.IdentifiedBy.LEDGER
    if posted and checklist and form.is_valid():
        data = form.cleaned_data
        co_officer = selectors.co_officer_list_for_user(user=request.user).filter(pk=data["co_officer"]).first()
        try:
            record = services.inspection_record(user=request.user, place=place, co_officer=co_officer, answers=form.answers(),
                                                point=_point(data), identified_by=by, photos=data.get("photos") or [],
                                                note=data.get("note", ""))
        except ApplicationError as exc:
            _error_into(form, exc)
        else:
            messages.success(request, _("Inspection recorded.") if record.passed else _("Inspection recorded with findings: hand each one on below."))
            return redirect("inspection-record-detail", pk=record.pk)
    return render(request, "inspection/field_record.html", {
        "form": form, "place": place, "checklist": checklist, "section": "record",
    }, status=400 if form.errors else 200)


@staff_required
def record_detail(request, pk):
    """A record: answers, photos in the evidence log, findings with their one-step hand-on (task or case)."""
    try:
        record = selectors.record_get_for_user(user=request.user, id=pk)
    except NotFound:
        raise Http404
    findings = [{"finding": f, "to_task": INSPECTION.allows(request.user, "finding_to_task", f),
                 "to_case": INSPECTION.allows(request.user, "finding_to_case", f) and bool(f.item.cause_code)}
                for f in record.findings.all()]
    return render(request, "inspection/field_record_detail.html", {
        "record": record, "findings": findings, "evidence": evidence_for_subject(subject=record), "section": "record",
    })


@staff_required
def record_list(request):
    """The user's area's latest records (the officer's own first with ``?mine=1``)."""
    qs = selectors.record_list_for_user(user=request.user)
    if request.GET.get("mine") == "1":
        qs = qs.filter(officer=request.user) | qs.filter(co_officer=request.user)
    return render(request, "inspection/field_records.html", {"records": qs[:50], "mine": request.GET.get("mine") == "1", "section": "record"})


@staff_required
@require_POST
def finding_action(request, pk, action):
    """Hand a failed item on: to the task centre (``task``) or as an enforcement case (``case``), once."""
    handlers = {"task": services.finding_to_task, "case": services.finding_to_case}
    if action not in handlers:
        raise Http404
    try:
        finding = selectors.finding_get_for_user(user=request.user, id=pk)
    except NotFound:
        raise Http404
    try:
        finding = handlers[action](user=request.user, finding=finding)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        if action == "task":
            messages.success(request, _("Task %(number)s created from the finding.") % {"number": finding.task.number})
        else:
            messages.success(request, _("Case %(number)s opened from the finding.") % {"number": finding.case_number})
    return redirect("inspection-record-detail", pk=finding.record_id)
