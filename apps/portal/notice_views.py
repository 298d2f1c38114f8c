"""Staff pages of targeted notices (精准推送): write and send, see who read and acknowledged, export the receipts as XLSX."""
import io

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from apps.accounts.decorators import staff_required
from apps.accounts.jurisdiction import jurisdiction_prefixes
from apps.gbcp import spreadsheet
from apps.gbcp.errors import ApplicationError, NotFound
from apps.portal import notice_services, selectors
from apps.portal.business_forms import NoticeForm
from apps.portal.models import Notice
from apps.portal.policy import NOTICE_ROLES, NOTICES

PAGE_SIZE = 25
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _may_send(user) -> bool:
    return user.is_superuser or user.has_role(*NOTICE_ROLES)


def _get(request, pk) -> Notice:
    try:
        notice = selectors.notice_get_for_user(user=request.user, id=pk)
    except NotFound:
        raise Http404
    if not NOTICES.allows(request.user, "receipts", notice):
        raise Http404
    return notice


@staff_required
def notice_list(request):
    if not _may_send(request.user):
        raise Http404
    prefixes = jurisdiction_prefixes(request.user)
    form = NoticeForm(request.POST or None, initial={"region_code": prefixes[0] if prefixes else "1101"},
                      entities_in_area=lambda code: selectors.entities_in_area(user=request.user, region_code=code))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            notice = notice_services.notice_send(user=request.user, title=d["title"], body=d["body"], region_code=d["region_code"],
                                                 place_kinds=d["place_kinds"], entity_kinds=d["entity_kinds"], entities=d["entities"],
                                                 needs_ack=d["needs_ack"])
        except NotFound:
            form.add_error("region_code", _("That area is outside your jurisdiction."))
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Sent to %(n)d businesses.") % {"n": notice.recipients.count()})
            return redirect("portal-notice", pk=notice.pk)
    page = Paginator(selectors.notice_list_for_user(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portal/notice_list.html", {"form": form, "page": page},
                  status=400 if form.is_bound and form.errors else 200)


@staff_required
def notice_detail(request, pk):
    notice = _get(request, pk)
    page = Paginator(selectors.notice_recipients(notice=notice), 50).get_page(request.GET.get("page"))
    return render(request, "portal/notice_detail.html", {"notice": notice, "page": page})


def _when(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


@staff_required
def notice_export(request, pk):
    """The receipts as XLSX: business, USCC, read and acknowledged (when, by whom), SMS."""
    notice = _get(request, pk)
    book = Workbook()
    sheet = book.active
    sheet.title = "回执"
    sheet.append([_("Business"), _("USCC"), _("SMS"), _("Read at"), _("Read by"), _("Acknowledged at"), _("Acknowledged by")])
    for r in selectors.notice_recipients(notice=notice):
        sheet.append(spreadsheet.row([r.entity.name, r.entity.uscc, r.sms_status, _when(r.read_at), str(r.read_by or ""),
                                      _when(r.acknowledged_at), str(r.acknowledged_by or "")]))
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="notice-{notice.pk}-receipts.xlsx"'
    return response
