"""Staff pages of supervision (督察督办): the queue with its filters, the item page with every step the viewer may
take, its linked subjects and history, and the form that creates an item."""
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.decorators import staff_required
from apps.dispatch import selectors as task_selectors
from apps.gbcp.errors import ApplicationError, NotFound
from apps.supervision import forms, selectors, services
from apps.supervision.models import OPEN_STATUSES, SupervisionItem
from apps.supervision.policy import ACTION_LABELS, SUPERVISION, item_actions
from apps.supervision.rulekinds import describe

PAGE_SIZE = 25


def _item_or_404(user, pk):
    try:
        return selectors.item_get_for_user(user=user, id=pk)
    except NotFound:
        raise Http404


def _may_create(user) -> bool:
    """Whether the user may create an item anywhere (a leader or supervisor with a jurisdiction)."""
    return user.is_superuser or any(
        SUPERVISION.may_act(user, "create", SupervisionItem(region_code=org.region.code)) for org in selectors.organizations_for_user(user=user)[:1])


@staff_required
def queue(request):
    form = forms.QueueFilterForm(request.GET)
    f = form.cleaned_data if form.is_valid() else {}
    status = f.get("status") or None
    qs = selectors.item_list_for_user(user=request.user, status=list(OPEN_STATUSES) if status == "open" else status,
                                      alert=f.get("alert") or None, source=f.get("source") or None, mine=f.get("mine") or False)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "supervision/queue.html", {
        "form": form, "page": page, "items": list(page.object_list), "query": query.urlencode(), "may_create": _may_create(request.user),
    })


@staff_required
def item_detail(request, pk):
    item = _item_or_404(request.user, pk)
    can = item_actions(request.user, item)
    organizations = selectors.organizations_for_user(user=request.user)
    return render(request, "supervision/item_detail.html", {
        "item": item, "can": can, "any_action": any(can.values()),
        "dispatch_form": forms.DispatchForm(organizations=organizations) if can["dispatch"] else None,
        "result_form": forms.ResultForm() if can["handle"] else None,
        "reason_form": forms.ReasonForm() if can["return"] else None,
        "feedback_form": forms.FeedbackForm() if can["close"] else None,
        "values": describe((item.measured or {}).get("values")), "parameters": describe((item.measured or {}).get("parameters")),
        "history": [(log, ACTION_LABELS.get(log.action, log.action)) for log in item.logs.all()],
    })


def _dispatch(request, item, form):
    services.item_dispatch(user=request.user, item=item, organization=form.cleaned_data.get("organization"), note=form.cleaned_data.get("note", ""))
    return _("Dispatched to the responsible unit.")


ACTIONS = {
    "sign": (forms.EmptyForm, lambda r, i, f: services.item_sign(user=r.user, item=i) and _("Signed for.")),
    "dispatch": (forms.DispatchForm, _dispatch),
    "handle": (forms.ResultForm, lambda r, i, f: services.item_handle(user=r.user, item=i, result=f.cleaned_data["result"]) and _("Handling reported.")),
    "approve": (forms.EmptyForm, lambda r, i, f: services.item_review(user=r.user, item=i, approved=True) and _("Review passed.")),
    "return": (forms.ReasonForm, lambda r, i, f: services.item_review(user=r.user, item=i, approved=False, reason=f.cleaned_data["reason"])
               and _("Returned to the unit.")),
    "close": (forms.FeedbackForm, lambda r, i, f: services.item_close(user=r.user, item=i, feedback=f.cleaned_data["feedback"]) and _("Closed.")),
    "archive": (forms.EmptyForm, lambda r, i, f: services.item_archive(user=r.user, item=i) and _("Archived.")),
}


@staff_required
@require_POST
def item_action(request, pk, action):
    if action not in ACTIONS:
        raise Http404
    item = _item_or_404(request.user, pk)
    form_class, handler = ACTIONS[action]
    form = (form_class(request.POST, organizations=selectors.organizations_for_user(user=request.user)) if form_class is forms.DispatchForm
            else form_class(request.POST))
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
    else:
        try:
            messages.success(request, handler(request, item, form))
        except ApplicationError as exc:
            messages.error(request, exc.message)
    return redirect("supervision-item-detail", pk=item.pk)


@staff_required
def item_create(request):
    if not _may_create(request.user):
        raise Http404
    form = forms.ItemCreateForm(request.POST or None, organizations=selectors.organizations_for_user(user=request.user))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        task = None
        if d.get("task_number"):
            task = task_selectors.task_list_for_user(user=request.user).filter(number=d["task_number"].strip()).first()
            if task is None:
                form.add_error("task_number", _("No such task in your jurisdiction."))
        if not form.errors:
            try:
                item = services.item_create(user=request.user, title=d["title"], body=d.get("body", ""), organization=d["organization"],
                                            deadline_days=d["deadline_days"], task=task)
            except ApplicationError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Supervision item %(number)s created.") % {"number": item.number})
                return redirect("supervision-item-detail", pk=item.pk)
    return render(request, "supervision/item_create.html", {"form": form})
