"""Staff pages of the joint-punishment list (with its export) and of imports of other departments' credit records."""
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from apps.accounts.decorators import staff_required
from apps.accounts.jurisdiction import scope_queryset
from apps.credit import selectors, services
from apps.credit.joint import criterion_label, joint_list_for_user
from apps.credit.policy import may_export, may_import
from apps.credit.services.exports import CONTENT_TYPES
from apps.credit.services.imports import row_error_rows
from apps.credit.wording import KIND_LABELS
from apps.gbcp.errors import ApplicationError, NotFound

PAGE_SIZE = 25
MAX_UPLOAD = 10 * 1024 * 1024


@staff_required
def joint_list(request):
    q = request.GET.get("q", "").strip()
    page = Paginator(joint_list_for_user(user=request.user, q=q or None), PAGE_SIZE).get_page(request.GET.get("page"))
    items = list(page.object_list)
    for item in items:
        item.criteria_labels = [criterion_label(c) for c in item.criteria]
        for record in item.records:
            record.kind_label = KIND_LABELS.get(record.kind, record.kind)
    return render(request, "credit/joint.html", {"page": page, "items": items, "q": q, "may_export": may_export(request.user),
                                                  "may_import": may_import(request.user)})


@staff_required
def joint_export(request, fmt):
    if fmt not in CONTENT_TYPES:
        raise Http404
    try:
        content, name, _log = services.joint_list_export(user=request.user, fmt=fmt)
    except ApplicationError as exc:
        if exc.status_code == 403:
            raise PermissionDenied from exc
        raise
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class ImportForm(forms.Form):
    department = forms.CharField(label=gettext_lazy("Source department"), max_length=128)
    file = forms.FileField(label=gettext_lazy("File (CSV or XLSX)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a CSV or XLSX file."))
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload


@staff_required
@require_http_methods(["GET", "POST"])
def imports(request):
    if not may_import(request.user):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = services.credit_import(user=request.user, department=form.cleaned_data["department"], file_name=upload.name,
                                           data=upload.read())
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The file is imported; see the report below."))
            return redirect("credit-import-batch", pk=batch.pk)
    batches = Paginator(selectors.import_batch_list_for_user(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "credit/imports.html", {"form": form, "page": batches, "batches": list(batches.object_list)})


@staff_required
def import_batch(request, pk):
    if not may_import(request.user):
        raise PermissionDenied
    try:
        batch = selectors.import_batch_get_for_user(user=request.user, id=pk)
    except NotFound:
        raise Http404 from None
    # The batch's counts and errors are the file's; of its records the caller sees those of its jurisdiction.
    records = list(scope_queryset(batch.records.all(), request.user, "region_code").select_related("entity").order_by("source_row", "pk")[:200])
    return render(request, "credit/import_batch.html", {"batch": batch, "records": records, "errors": row_error_rows(batch.errors)})
