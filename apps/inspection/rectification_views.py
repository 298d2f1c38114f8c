"""Rectification pages (整改): the staff list with overdue ones, issuing a notice from a finding, one rectification
(the business answers with photos; the officer accepts or returns it) and its photos. Who may act: RECTIFICATION."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from apps.accounts.decorators import staff_required
from apps.gbcp.errors import ApplicationError, NotFound
from apps.gbcp.files import send_image
from apps.inspection import rectification_selectors as selectors
from apps.inspection import selectors as inspection_selectors
from apps.inspection.models import Rectification
from apps.inspection.rectification_policy import RECTIFICATION
from apps.inspection.selfcheck_forms import AnswerForm, IssueForm, ReturnForm
from apps.inspection.services import rectifications as services

PAGE_SIZE = 25


@staff_required
def rectification_list(request):
    overdue = request.GET.get("overdue") == "1"
    origin = request.GET.get("origin") if request.GET.get("origin") in Rectification.Origin.values else None
    qs = selectors.rectification_list_for_user(user=request.user, origin=origin, open_only=request.GET.get("open") == "1", overdue=overdue)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "inspection/rectification_list.html", {"page": page, "overdue": overdue, "origin": origin,
                                                                   "Origin": Rectification.Origin})


@staff_required
def rectification_issue(request, pk):
    """整改通知 from a failed finding of an inspection record."""
    try:
        finding = inspection_selectors.finding_get_for_user(user=request.user, id=pk)
    except NotFound:
        raise Http404
    form = IssueForm(request.POST or None, initial={"requirement": finding.note})
    if request.method == "POST" and form.is_valid():
        try:
            rectification = services.rectification_issue(user=request.user, finding=finding, **form.cleaned_data)
        except NotFound:
            raise Http404
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The rectification notice is sent to the business."))
            return redirect("inspection-rectification", pk=rectification.pk)
    return render(request, "inspection/rectification_issue.html", {
        "finding": finding, "form": form, "may_issue": RECTIFICATION.allows(request.user, "issue", finding),
    }, status=400 if form.is_bound and form.errors else 200)


def _detail(request, rectification, *, answer_form=None, return_form=None, status=200):
    actions = RECTIFICATION.actions(request.user, rectification)
    photos = list(rectification.photos.all())
    return render(request, "inspection/rectification_detail.html", {
        "r": rectification, "actions": actions,
        "problem_photos": [p for p in photos if p.stage == "problem"], "fix_photos": [p for p in photos if p.stage == "fix"],
        "answer_form": answer_form or (AnswerForm() if actions["answer"] else None),
        "return_form": return_form or (ReturnForm() if actions["return"] else None),
    }, status=status)


def _get(request, pk):
    try:
        return selectors.rectification_get_for_user(user=request.user, id=pk)
    except NotFound:
        raise Http404


@login_required
@require_safe
def rectification_detail(request, pk):
    return _detail(request, _get(request, pk))


@login_required
@require_POST
def rectification_answer(request, pk):
    rectification = _get(request, pk)
    form = AnswerForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.rectification_answer(user=request.user, rectification=rectification, note=form.cleaned_data["note"],
                                          photos=form.cleaned_data["photos"])
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Thank you: your answer is recorded."))
            return redirect("inspection-rectification", pk=pk)
    return _detail(request, rectification, answer_form=form, status=400)


@login_required
@require_POST
def rectification_decide(request, pk):
    rectification = _get(request, pk)
    accept = request.POST.get("decision") == "accept"
    form = ReturnForm(request.POST)
    if accept or form.is_valid():
        try:
            services.rectification_decide(user=request.user, rectification=rectification, accept=accept,
                                          reason="" if accept else form.cleaned_data["reason"])
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return _detail(request, rectification, status=exc.status_code)
        messages.success(request, _("The fix is accepted.") if accept else _("Returned to the business with your reason."))
        return redirect("inspection-rectification", pk=pk)
    return _detail(request, rectification, return_form=form, status=400)


@login_required
@require_safe
def rectification_photo(request, pk, photo):
    try:
        found = selectors.rectification_photo_get_for_user(user=request.user, rectification_id=pk, id=photo)
    except NotFound:
        raise Http404
    return send_image(request, found.image, download_name=f"rectification-{pk}-{found.stage}-{found.pk}")
