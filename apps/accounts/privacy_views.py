"""Pages of the data-protection officer (个人信息保护负责人): the access log with filters and a masked export, the
retention rules and runs, and the export of one person's data on request. Everyone else: not found."""
import csv
import io

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts import privacy
from apps.accounts.decorators import staff_required
from apps.accounts.privacy_forms import AccessLogFilterForm, SubjectExportForm
from apps.accounts.throttling import client_ip
from apps.gbcp.errors import NotFound
from apps.gbcp.privacy import export as subject_files
from apps.gbcp.spreadsheet import row as sheet_row

PAGE_SIZE = 50
EXPORT_LIMIT = 50_000


def _filtered(request):
    form = AccessLogFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    try:
        rows = privacy.access_log_for_user(user=request.user, **{k: v for k, v in filters.items() if v})
    except NotFound:
        raise Http404
    return form, rows


@staff_required
def access_log(request):
    form, rows = _filtered(request)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    entries = privacy.describe(list(page.object_list))
    query = request.GET.copy()
    query.pop("page", None)
    overview = privacy.retention_overview_for_user(user=request.user)
    return render(request, "accounts/privacy_log.html", {
        "form": form, "page": page, "entries": entries, "query": query.urlencode(), **overview,
    })


@staff_required
def access_log_export(request):
    """The filtered log as CSV, masked: the reader's address shortened; subjects are named by record, never by person."""
    _form, rows = _filtered(request)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_("Read at"), _("Reader"), _("Kind of record"), _("Record id"), _("Record"), _("Data read"),
                     _("Purpose"), _("Address"), _("From address")])
    for entry in rows[:EXPORT_LIMIT]:
        writer.writerow(sheet_row([
            timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S"), entry.username, entry.subject_type, entry.subject_id,
            entry.subject_label, "、".join(privacy.field_names(entry.subject_type, entry.fields)), entry.purpose, entry.path, privacy.masked_ip(entry.client_ip),
        ]))
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="personal-data-access-log.csv"'
    return response


@staff_required
def subject_export(request):
    """GET: the request form; POST: the person's data as XLSX or JSON, the search on the access log."""
    if not privacy.is_data_protection_officer(request.user):
        raise Http404
    form = SubjectExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        export = subject_files.subject_export(
            user=request.user, id_number=data["id_number"], phone=data["phone"],
            purpose="accounts-privacy-subject", path=request.path, client_ip=client_ip(request),
        )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        if data["file_format"] == "json":
            response = HttpResponse(subject_files.as_json(export), content_type="application/json; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="personal-data-{stamp}.json"'
            return response
        headers = (_("Kind of record"), _("Record id"), _("Record"), _("Whose"), _("Field"), _("Value"))
        response = HttpResponse(subject_files.as_xlsx(export, headers),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="personal-data-{stamp}.xlsx"'
        return response
    return render(request, "accounts/privacy_subject.html", {"form": form})
