"""门前三包 考核 pages: the month's zones of my jurisdiction, each assessed once, duty by duty."""
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.decorators import staff_required
from apps.gbcp.errors import ApplicationError, NotFound
from apps.ledger import selectors, services
from apps.ledger.forms import frontage_form
from apps.ledger.models import FrontageAssessment, FrontageZone
from apps.ledger.policy import LEDGER, own_area

PAGE_SIZE = 25


def _month(raw):
    today = timezone.localdate().replace(day=1)
    try:
        month = timezone.datetime.strptime(raw or "", "%Y-%m").date()
    except ValueError:
        return today
    return min(month, today)


@staff_required
def frontage_list(request):
    period = _month(request.GET.get("month"))
    q = request.GET.get("q", "").strip()
    assessed = {"1": True, "0": False}.get(request.GET.get("assessed", ""))
    qs = selectors.zone_month_list_for_user(user=request.user, period=period, q=q or None, assessed=assessed)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "ledger/frontage.html", {
        "page": page, "zones": list(page.object_list), "month": period, "q": q, "assessed": request.GET.get("assessed", ""),
        "grades": dict(FrontageAssessment.Grade.choices), "duties": dict(FrontageZone.Duty.choices),
        "may_assess": LEDGER.may_act(request.user, "assess_frontage", own_area(request.user)),
    })


@staff_required
def frontage_assess(request, pk):
    try:
        zone = selectors.zone_get_for_user(user=request.user, id=pk)
    except NotFound:
        raise Http404 from None
    duties = services.zone_duties(zone)
    form = frontage_form(duties, data=request.POST or None, initial={"period": timezone.localdate().strftime("%Y-%m")})
    if request.method == "POST" and form.is_valid():
        try:
            services.frontage_assess(user=request.user, zone=zone, period=form.cleaned_data["period"], note=form.cleaned_data["note"],
                                     results={duty: form.cleaned_data[f"duty_{duty}"] for duty in duties})
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Assessment recorded."))
            return redirect(f"{request.path}")
    return render(request, "ledger/frontage_assess.html", {
        "zone": zone, "form": form, "assessments": selectors.assessment_list_for_user(user=request.user, zone_id=zone.pk)[:24],
        "duties": dict(FrontageZone.Duty.choices),
        "may_assess": LEDGER.may_act(request.user, "assess_frontage", zone),
    })
