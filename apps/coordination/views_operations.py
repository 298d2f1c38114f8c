"""Staff pages of joint operations (联合执法): the list (planners of the jurisdiction and the people taking part), and
planning one (planners of the jurisdiction), and the operation's page with the steps the viewer may take (check in, record a finding, report, close, cancel)."""
from django.contrib import messages
from django.contrib.gis.geos import Point
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.decorators import staff_required
from apps.accounts.jurisdiction import EVERYTHING, jurisdiction_prefixes, scope_filter
from apps.cases.selectors import cause_get
from apps.coordination import forms, selectors, services
from apps.coordination.models import JointOperation
from apps.coordination.policy import OPERATION_ACTION_LABELS, OPERATIONS, operation_actions
from apps.coordination.services.operations import operation_counts
from apps.gbcp.errors import ApplicationError, NotFound
from apps.gbcp.models import Category, Organization, Region

PAGE_SIZE = 25


def _operation_or_404(user, pk):
    try:
        return selectors.operation_get_for_user(user=user, id=pk)
    except NotFound:
        raise Http404


def _brought(operation):
    return Category.objects.filter(pk__in=[c.pk for row in operation.departments.all() for c in row.duties.all()]).order_by("code")


@staff_required
def operation_list(request):
    form = forms.OperationFilterForm(request.GET)
    f = form.cleaned_data if form.is_valid() else {}
    qs = selectors.operation_list_for_user(user=request.user, status=f.get("status") or None, q=f.get("q") or None)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "coordination/operation_list.html", {"form": form, "page": page, "operations": list(page.object_list),
                                                                "query": query.urlencode(), "may_create": bool(_planner_units(request.user))})


def _planner_units(user):
    return [o for o in selectors.units_for_user(user=user) if OPERATIONS.may_act(user, "create", JointOperation(region_code=o.region.code, organization=o))]


@staff_required
def operation_create(request):
    units = _planner_units(request.user)
    if not units:
        raise Http404
    departments = list(selectors.operation_departments_for_user(user=request.user).prefetch_related("duties"))
    regions = Region.objects.all() if jurisdiction_prefixes(request.user) is EVERYTHING else Region.objects.filter(scope_filter(request.user, "code"))
    form = forms.OperationCreateForm(
        request.POST or None, units=Organization.objects.filter(pk__in=[o.pk for o in units]), regions=regions.order_by("code"),
        departments=departments, staff=selectors.operation_staff_for_user(user=request.user, organizations=[*units, *departments]))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            operation = services.operation_create(user=request.user, organization=d["organization"], title=d["title"], purpose=d["purpose"],
                                                  region=d["region"], starts_at=d["starts_at"], ends_at=d["ends_at"],
                                                  departments=form.departments(), participants=list(d["participants"]))
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Joint operation planned."))
            return redirect("coordination-operation-detail", pk=operation.pk)
    return render(request, "coordination/operation_form.html", {"form": form})


@staff_required
def operation_detail(request, pk):
    operation = _operation_or_404(request.user, pk)
    can = operation_actions(request.user, operation)
    return render(request, "coordination/operation_detail.html", {
        "operation": operation, "can": can, "any_action": any(can.values()),
        "finding_form": forms.FindingForm(categories=_brought(operation)) if can["finding"] else None,
        "report_form": forms.ReportForm() if can["report"] else None,
        "cancel_form": forms.ReasonForm() if can["cancel"] else None,
        "counts": operation.report_counts or operation_counts(operation),
        "history": [(log, OPERATION_ACTION_LABELS.get(log.action, log.action)) for log in operation.logs.all()],
    })


def _check_in(request, operation, d):
    point = Point(d["lng"], d["lat"], srid=4326) if d.get("lat") is not None and d.get("lng") is not None else None
    services.operation_check_in(user=request.user, operation=operation, point=point)
    return _("Checked in.")


def _finding(request, operation, d):
    cause = None
    if d.get("cause_code"):
        try:
            cause = cause_get(code=d["cause_code"])
        except NotFound as exc:
            raise ApplicationError(_("No such case cause."), code="unknown_cause") from exc
    finding = services.operation_finding_record(user=request.user, operation=operation, outcome=d["outcome"], description=d["description"],
                                                category=d.get("category"), cause=cause)
    return _("Finding recorded as task %(number)s.") % {"number": finding.task.number} if finding.task_id else \
        _("Finding recorded as case %(number)s.") % {"number": finding.case.number}


ACTIONS = {
    "check-in": (forms.CheckInForm, _check_in),
    "finding": (forms.FindingForm, _finding),
    "report": (forms.ReportForm, lambda r, o, d: services.operation_report(user=r.user, operation=o, text=d["text"]) and _("Reported.")),
    "close": (forms.EmptyForm, lambda r, o, d: services.operation_close(user=r.user, operation=o) and _("Closed.")),
    "cancel": (forms.ReasonForm, lambda r, o, d: services.operation_cancel(user=r.user, operation=o, reason=d["reason"]) and _("Cancelled.")),
}


@staff_required
@require_POST
def operation_action(request, pk, action):
    if action not in ACTIONS:
        raise Http404
    operation = _operation_or_404(request.user, pk)
    form_class, handler = ACTIONS[action]
    form = form_class(request.POST, categories=_brought(operation)) if form_class is forms.FindingForm else form_class(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
    else:
        try:
            messages.success(request, handler(request, operation, form.cleaned_data))
        except ApplicationError as exc:
            messages.error(request, exc.message)
    return redirect("coordination-operation-detail", pk=operation.pk)
