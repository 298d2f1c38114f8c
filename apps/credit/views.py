"""Credit pages: staff (grades, a business's credit, objections queue, a place's risk) and the merchant's own credit."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.decorators import is_staff_user, staff_required
from apps.credit import selectors, services
from apps.credit.models import CreditRecord, Grade, Objection
from apps.credit.policy import CREDIT
from apps.credit.wording import contribution_rows, risk_part_rows
from apps.gbcp.errors import ApplicationError, NotFound

PAGE_SIZE = 25


def _records_with_repair(entity, user=None):
    ruleset = services.ruleset_current()
    records = list(selectors.records_for_entity(entity=entity))
    for record in records:
        record.repairable_from = services.repairable_from(record, ruleset) if record.status == CreditRecord.Status.ACTIVE else None
        record.may_repair = user is not None and CREDIT.allows(user, "repair_record", record)
    return records


@staff_required
def grade_list(request):
    grade, q = request.GET.get("grade", ""), request.GET.get("q", "").strip()
    page = Paginator(selectors.grade_list_for_user(user=request.user, grade=grade or None, q=q or None), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "credit/grades.html", {"page": page, "grades": list(page.object_list), "grade": grade, "q": q,
                                                  "choices": Grade.choices})


@staff_required
def entity_detail(request, pk):
    try:
        entity = selectors.entity_get_for_user(user=request.user, id=pk)
    except NotFound:
        raise Http404 from None
    grade = selectors.grade_for(entity)
    risks = list(selectors.place_risks_of(entity=entity))
    for risk in risks:
        risk.rows = risk_part_rows(risk.parts)
    return render(request, "credit/entity.html", {
        "entity": entity, "grade": grade, "contributions": contribution_rows(grade.contributions if grade else []),
        "records": _records_with_repair(entity, request.user), "history": selectors.grade_history(entity=entity), "risks": risks,
    })


@staff_required
def objection_queue(request):
    status = request.GET.get("status", Objection.Status.SUBMITTED)
    page = Paginator(selectors.objection_list_for_user(user=request.user, status=status or None), PAGE_SIZE).get_page(request.GET.get("page"))
    objections = list(page.object_list)
    for objection in objections:
        objection.may_decide = CREDIT.allows(request.user, "decide_objection", objection)
    return render(request, "credit/objections.html", {"page": page, "objections": objections, "status": status,
                                                      "statuses": Objection.Status.choices})


@staff_required
@require_POST
def objection_decide(request, pk):
    try:
        objection = selectors.objection_get_for_user(user=request.user, id=pk)
    except NotFound:
        raise Http404 from None
    try:
        services.objection_decide(user=request.user, objection=objection, upheld=request.POST.get("decision") == "uphold",
                                  reason=request.POST.get("reason", ""))
        messages.success(request, _("The objection is decided."))
    except NotFound:
        raise Http404 from None
    except ApplicationError as exc:
        if exc.status_code == 403:
            raise PermissionDenied from exc
        messages.error(request, exc.message)
    return redirect("credit-objections")


@staff_required
@require_POST
def record_repair(request, pk):
    try:
        record = selectors.record_get_for_user(user=request.user, id=pk)
        services.repair_record(user=request.user, record=record, reason=request.POST.get("reason", ""))
        messages.success(request, _("The record is repaired."))
    except NotFound:
        raise Http404 from None
    except ApplicationError as exc:
        if exc.status_code == 403:
            raise PermissionDenied from exc
        messages.error(request, exc.message)
    return redirect("credit-entity", pk=record.entity_id)


@staff_required
def place_risk(request, pk):
    try:
        risk = selectors.place_risk_get_for_user(user=request.user, place_id=pk)
    except NotFound:
        raise Http404 from None
    return render(request, "credit/place_risk.html", {"risk": risk, "rows": risk_part_rows(risk.parts)})


def _merchant_entity(user):
    if is_staff_user(user) or not getattr(user, "entity_id", None):
        raise Http404
    return selectors.entity_get_for_user(user=user, id=user.entity_id)


@login_required
def my_credit(request):
    """The merchant's own credit: grade with its reasons, records with weights, how to repair, objections."""
    entity = _merchant_entity(request.user)
    grade = selectors.grade_for(entity)
    ruleset = services.ruleset_current()
    return render(request, "credit/mine.html", {
        "entity": entity, "grade": grade, "contributions": contribution_rows(grade.contributions if grade else []),
        "records": _records_with_repair(entity), "objections": list(selectors.objection_list_for_user(user=request.user)[:20]),
        "ruleset": ruleset, "repair_rules": sorted((ruleset.repair_after_days or {}).items()),
        "kind_labels": dict(CreditRecord._meta.get_field("kind").choices),
    })


@login_required
@require_POST
def my_objection(request, pk):
    _merchant_entity(request.user)  # staff and citizens have no own credit: 404
    try:
        record = selectors.record_get_for_user(user=request.user, id=pk)
        services.objection_submit(user=request.user, record=record, text=request.POST.get("text", ""))
        messages.success(request, _("Your objection is submitted; a legal reviewer will decide."))
    except NotFound:
        raise Http404 from None
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("credit-mine")
