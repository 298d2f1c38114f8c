"""Staff pages of coordination (协调联动): case leads (list with filters, drafting one to hand out, registering one taken in,
the lead's page with every step the viewer may take, its bundle and documents), and data sharing for administrators and
leaders (tokens, the access log, the data-class table and a masked CSV export that is itself logged)."""
import csv
import io

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.decorators import staff_required
from apps.accounts.jurisdiction import jurisdiction_prefixes
from apps.accounts.throttling import client_ip
from apps.cases import selectors as case_selectors
from apps.coordination import forms, selectors, services
from apps.coordination.models import Direction, Lead, ShareAccess
from apps.coordination.policy import ACTION_LABELS, LEADS, lead_actions, may_audit
from apps.coordination.sharing import DATASETS, class_table
from apps.dispatch import selectors as task_selectors
from apps.gbcp.errors import ApplicationError, NotFound
from apps.gbcp.files import send_file
from apps.gbcp.models import Organization

PAGE_SIZE = 25
EXPORT_LIMIT = 5000


def _lead_or_404(user, pk):
    try:
        return selectors.lead_get_for_user(user=user, id=pk)
    except NotFound:
        raise Http404


def _units(user):
    return Organization.objects.filter(pk__in=[o.pk for o in selectors.units_for_user(user=user)]).order_by("region__code", "level", "name")


def _may_create(user) -> bool:
    """Whether the user coordinates for a unit of ours (where a new lead would lie)."""
    return any(LEADS.may_act(user, "create", Lead(region_code=org.region.code, organization=org)) for org in selectors.units_for_user(user=user)[:5])


@staff_required
def lead_list(request):
    departments = selectors.departments_for_user(user=request.user)
    form = forms.LeadFilterForm(request.GET, departments=departments)
    f = form.cleaned_data if form.is_valid() else {}
    department = f.get("department")
    qs = selectors.lead_list_for_user(user=request.user, direction=f.get("direction") or None, status=f.get("status") or None,
                                      department=department.pk if department else None, overdue=f.get("overdue") or False, q=f.get("q") or None)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "coordination/lead_list.html", {
        "form": form, "page": page, "leads": list(page.object_list), "query": query.urlencode(), "may_create": _may_create(request.user),
    })


def _resolve_links(request, form):
    d, task, case = form.cleaned_data, None, None
    if d.get("task_number"):
        task = task_selectors.task_list_for_user(user=request.user).filter(number=d["task_number"].strip()).first()
        if task is None:
            form.add_error("task_number", _("No such task in your jurisdiction."))
    if d.get("case_number"):
        case = case_selectors.case_list_for_user(user=request.user).filter(number=d["case_number"].strip()).first()
        if case is None:
            form.add_error("case_number", _("No such case in your jurisdiction."))
    return task, case


@staff_required
def lead_create(request):
    if not _may_create(request.user):
        raise Http404
    form = forms.LeadCreateForm(request.POST or None, units=_units(request.user), departments=selectors.departments_for_user(user=request.user))
    if request.method == "POST" and form.is_valid():
        task, case = _resolve_links(request, form)
        if not form.errors:
            d = form.cleaned_data
            try:
                lead = services.lead_create(user=request.user, organization=d["organization"], department=d["department"], title=d["title"],
                                            facts=d["facts"], legal_basis=d.get("legal_basis", ""), task=task, case=case,
                                            attach_linked_evidence=d.get("attach_linked_evidence", False),
                                            receipt_days=d["receipt_days"], feedback_days=d["feedback_days"])
            except ApplicationError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Case lead %(number)s drafted.") % {"number": lead.number})
                return redirect("coordination-lead-detail", pk=lead.pk)
    return render(request, "coordination/lead_form.html", {"form": form, "heading": _("Hand a case lead over (线索移送)")})


@staff_required
def lead_register(request):
    if not _may_create(request.user):
        raise Http404
    form = forms.LeadRegisterForm(request.POST or None, units=_units(request.user), departments=selectors.departments_for_user(user=request.user))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            lead = services.lead_register(user=request.user, organization=d["organization"], department=d["department"], title=d["title"],
                                          facts=d["facts"], external_ref=d.get("external_ref", ""), legal_basis=d.get("legal_basis", ""))
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Case lead %(number)s registered.") % {"number": lead.number})
            return redirect("coordination-lead-detail", pk=lead.pk)
    return render(request, "coordination/lead_form.html", {"form": form, "heading": _("Register a case lead from a department")})


@staff_required
def lead_detail(request, pk):
    lead = _lead_or_404(request.user, pk)
    can = lead_actions(request.user, lead)
    return render(request, "coordination/lead_detail.html", {
        "lead": lead, "can": can, "any_action": any(can.values()),
        "document_form": forms.DocumentForm() if can["document"] else None,
        "acknowledge_form": forms.AcknowledgeForm() if can["acknowledge"] or can["acknowledge_for"] else None,
        "answer_form": forms.AnswerForm() if can["answer"] or can["answer_for"] else None,
        "feedback_form": forms.FeedbackForm() if can["feedback"] or can["feedback_for"] else None,
        "close_form": forms.NoteForm() if can["close"] else None,
        "accept_form": forms.AcceptInForm() if can["accept_in"] else None,
        "refuse_form": forms.ReasonForm() if can["refuse_in"] else None,
        "history": [(log, ACTION_LABELS.get(log.action, log.action)) for log in lead.logs.all()],
        "is_out": lead.direction == Direction.OUT,
    })


ACTIONS = {
    "send": (forms.EmptyForm, lambda r, i, d: services.lead_send(user=r.user, lead=i) and _("Sent to the department.")),
    "document": (forms.DocumentForm, lambda r, i, d: services.lead_document_add(user=r.user, lead=i, file=d["file"], name=d.get("name", ""))
                 and _("Document added.")),
    "acknowledge": (forms.AcknowledgeForm, lambda r, i, d: services.lead_acknowledge(user=r.user, lead=i, signed_by=d.get("signed_by", ""),
                                                                                     reference=d.get("reference", "")) and _("Receipt recorded.")),
    "answer": (forms.AnswerForm, lambda r, i, d: services.lead_answer(user=r.user, lead=i, accepted=d["accepted"], reason=d.get("reason", ""),
                                                                      reference=d.get("reference", "")) and _("Answer recorded.")),
    "feedback": (forms.FeedbackForm, lambda r, i, d: services.lead_feedback(user=r.user, lead=i, result=d["result"], reference=d.get("reference", ""))
                 and _("Result recorded.")),
    "close": (forms.NoteForm, lambda r, i, d: services.lead_close(user=r.user, lead=i, note=d.get("note", "")) and _("Closed.")),
    "accept-in": (forms.AcceptInForm, lambda r, i, d: services.lead_accept_in(user=r.user, lead=i, outcome=d["outcome"]) and _("Accepted.")),
    "refuse-in": (forms.ReasonForm, lambda r, i, d: services.lead_refuse_in(user=r.user, lead=i, reason=d["reason"]) and _("Refused.")),
}


@staff_required
@require_POST
def lead_action(request, pk, action):
    if action not in ACTIONS:
        raise Http404
    lead = _lead_or_404(request.user, pk)
    form_class, handler = ACTIONS[action]
    form = form_class(request.POST, request.FILES)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
    else:
        try:
            messages.success(request, handler(request, lead, form.cleaned_data))
        except ApplicationError as exc:
            messages.error(request, exc.message)
    return redirect("coordination-lead-detail", pk=lead.pk)


@staff_required
def lead_bundle(request, pk):
    lead = _lead_or_404(request.user, pk)
    if not lead.bundle:
        raise Http404
    return send_file(request, lead.bundle, content_type="application/zip", download_name=f"{lead.number}.zip", inline=False)


@staff_required
def lead_document(request, pk, document_id):
    lead = _lead_or_404(request.user, pk)
    document = next((d for d in lead.documents.all() if d.pk == document_id), None)
    if document is None:
        raise Http404
    return send_file(request, document.file, content_type="application/pdf", download_name=document.name)


# --- data sharing ------------------------------------------------------------------------------------------------------


def _auditor_or_404(user):
    if not may_audit(user):
        raise Http404


@staff_required
def sharing(request):
    """Tokens, the access log with its filters, the data-class table; issuing a token shows its secret once."""
    _auditor_or_404(request.user)
    departments = selectors.departments_for_user(user=request.user)
    issue_form = forms.TokenIssueForm(request.POST or None, departments=departments,
                                      initial={"region_code": next(iter(jurisdiction_prefixes(request.user) or []), "")})
    secret = None
    if request.method == "POST" and issue_form.is_valid():
        d = issue_form.cleaned_data
        try:
            token, secret = services.token_issue(user=request.user, organization=d["organization"], purpose=d["purpose"], datasets=d["datasets"],
                                                 region_code=d["region_code"], days=d["days"])
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            issue_form = forms.TokenIssueForm(departments=departments, initial={"region_code": token.region_code})
    log_form = forms.AccessFilterForm(request.GET, departments=departments)
    f = log_form.cleaned_data if log_form.is_valid() else {}
    organization = f.get("organization")
    log = selectors.accesses_for_user(user=request.user, dataset=f.get("dataset") or None, outcome=f.get("outcome") or None,
                                      organization=organization.pk if organization else None, since=f.get("since"), until=f.get("until"))
    page = Paginator(log, PAGE_SIZE).get_page(request.GET.get("page"))
    tokens = Paginator(selectors.tokens_for_user(user=request.user), PAGE_SIZE).get_page(request.GET.get("tokens"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "coordination/sharing.html", {
        "issue_form": issue_form, "secret": secret, "log_form": log_form, "page": page, "accesses": list(page.object_list),
        "tokens": tokens, "query": query.urlencode(), "classes": class_table(), "export_form": forms.ExportForm(),
        "dataset_labels": {name: d.label for name, d in DATASETS.items()},
    })


@staff_required
@require_POST
def token_revoke(request, pk):
    _auditor_or_404(request.user)
    try:
        token = selectors.token_get_for_user(user=request.user, id=pk)
        services.token_revoke(user=request.user, token=token)
    except NotFound:
        raise Http404
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Token %(key)s revoked.") % {"key": token.key_id})
    return redirect("coordination-sharing")


@staff_required
@require_POST
def sharing_export(request):
    """A dataset of the auditor's jurisdiction as CSV, masked by the data-class table, logged in the transaction that answers."""
    _auditor_or_404(request.user)
    form = forms.ExportForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            for error in errors:
                messages.error(request, f"{form.fields[field].label}: {error}")
        return redirect("coordination-sharing")
    d = form.cleaned_data
    spec = DATASETS[d["dataset"]]
    prefixes = jurisdiction_prefixes(request.user)
    with transaction.atomic():
        rows = spec.rows(spec.queryset(prefixes=prefixes, since=d.get("since"), until=d.get("until"))[:EXPORT_LIMIT])
        services.access_record(user=request.user, channel=ShareAccess.Channel.CSV, dataset=spec.name, purpose=d["purpose"],
                               query={k: str(v) for k, v in d.items() if v}, records=len(rows), ip=client_ip(request),
                               region_code=(prefixes or [""])[0] if prefixes is not None else "")
        buffer = io.StringIO()
        buffer.write("\ufeff")  # Excel opens UTF-8 Chinese text only with the mark
        writer = csv.writer(buffer)
        writer.writerow([str(f.label) for f in spec.released])
        for row in rows:
            writer.writerow(["" if row[f.name] is None else row[f.name] for f in spec.released])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{spec.name}-{timezone.localdate():%Y%m%d}.csv"'
    return response
