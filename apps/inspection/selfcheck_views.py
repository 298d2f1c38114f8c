"""The merchant's self-check pages (自检自查), phone-sized: its places and their checklists, a check, its result.

Only a merchant acting for its own business sees them; anyone else (staff included) is told "not there" (404).
"""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from apps.gbcp.errors import ApplicationError, NotFound
from apps.inspection import rectification_selectors as selectors
from apps.inspection.models import Rectification
from apps.inspection.selfcheck_forms import SelfCheckForm
from apps.inspection.services.checklists import checklist_for_kind
from apps.inspection.services.rectifications import self_check_with_rectifications


@login_required
def self_check_home(request):
    if selectors.merchant_entity_id(request.user) is None:
        raise Http404
    rectifications = selectors.rectification_list_for_user(user=request.user, open_only=True)
    return render(request, "inspection/selfcheck_home.html", {
        "places": selectors.merchant_places_with_checklists(user=request.user),
        "rectifications": rectifications[:50],
        "checks": selectors.merchant_self_checks(user=request.user)[:10],
    })


@login_required
def self_check_new(request, pk):
    try:
        place = selectors.merchant_place_get(user=request.user, id=pk)
        checklist = checklist_for_kind(place.kind)
    except NotFound:
        raise Http404
    except ApplicationError:  # no checklist for this kind of place
        messages.info(request, _("There is no checklist for this kind of place yet."))
        return redirect("inspection-self-check-home")
    items = selectors.checklist_items(checklist=checklist)
    form = SelfCheckForm(request.POST or None, request.FILES or None, items=items)
    if request.method == "POST" and form.is_valid():
        try:
            check = self_check_with_rectifications(user=request.user, place=place, answers=form.answers(), photos=form.photos(),
                                                   deadline=form.cleaned_data["deadline"], note=form.cleaned_data["note"])
        except NotFound:
            raise Http404
        except ApplicationError as exc:
            for field, errors in (exc.details or {}).items():
                if field in form.fields:
                    form.add_error(field, errors)
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Self-check saved."))
            return redirect("inspection-self-check-detail", pk=check.pk)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "inspection/selfcheck_form.html", {"place": place, "checklist": checklist, "form": form}, status=status)


@login_required
def self_check_detail(request, pk):
    try:
        check = selectors.merchant_self_check_get(user=request.user, id=pk)
    except NotFound:
        raise Http404
    by_item = {r.item_id: r for r in check.rectifications.all()}
    rows = [{"answer": a, "rectification": by_item.get(a.item_id)} for a in check.answers.all()]
    return render(request, "inspection/selfcheck_detail.html", {"check": check, "rows": rows, "Status": Rectification.Status})
