"""Wiki pages: the knowledge base for everyone (public pages for visitors), edits for staff, proposals and moderation."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.decorators import is_staff_user, staff_required
from apps.gbcp.errors import ApplicationError, NotFound
from apps.wiki import diffs, search, selectors, services
from apps.wiki.models import Page, Proposal
from apps.wiki.policy import WIKI, may_moderate_somewhere

PAGE_SIZE = 25


def _page_or_404(request, slug):
    try:
        return selectors.page_get_for_user(user=request.user, slug=slug)
    except NotFound:
        raise Http404 from None


def _fail(request, exc):
    if isinstance(exc, NotFound):
        raise Http404 from None
    if exc.status_code == 403:
        raise PermissionDenied from exc
    messages.error(request, exc.message)


def index(request):
    kind = request.GET.get("kind", "")
    pages = selectors.page_list_for_user(user=request.user, kind=kind if kind in Page.Kind.values else None)
    page = Paginator(pages, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "wiki/index.html", {
        "page": page, "pages": list(page.object_list), "kind": kind, "kinds": Page.Kind.choices,
        "is_staff": is_staff_user(request.user), "may_moderate": may_moderate_somewhere(request.user),
    })


def search_view(request):
    q = request.GET.get("q", "").strip()[:100]
    hits = search.search(q=q, pages=selectors.pages_for_user(user=request.user)) if q else []
    return render(request, "wiki/search.html", {"q": q, "hits": hits})


def page_detail(request, slug):
    page = _page_or_404(request, slug)
    return render(request, "wiki/page.html", {
        "wpage": page, "revision": page.current, "links": selectors.page_links(page),
        "may_edit": WIKI.allows(request.user, "edit", page),
    })


def page_history(request, slug):
    page = _page_or_404(request, slug)
    pager = Paginator(selectors.revisions_of(page), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "wiki/history.html", {"wpage": page, "page": pager, "revisions": list(pager.object_list)})


def page_revision(request, slug, number):
    page = _page_or_404(request, slug)
    try:
        revision = selectors.revision_get(page=page, number=number)
    except NotFound:
        raise Http404 from None
    return render(request, "wiki/page.html", {"wpage": page, "revision": revision, "links": selectors.page_links(page),
                                              "old": revision.pk != page.current_id})


def page_diff(request, slug):
    page = _page_or_404(request, slug)
    current = page.current.number if page.current_id else 1
    try:
        a = selectors.revision_get(page=page, number=request.GET.get("a", max(current - 1, 1)))
        b = selectors.revision_get(page=page, number=request.GET.get("b", current))
    except NotFound:
        raise Http404 from None
    mode = request.GET.get("mode", diffs.SIDE_BY_SIDE)
    return render(request, "wiki/diff.html", {"wpage": page, "a": a, "b": b, "mode": mode, **_diff_context(a, b, mode)})


def _diff_context(a, b, mode):
    old, new = f"# {a.title}\n\n{a.body}", f"# {b.title}\n\n{b.body}"
    if mode == diffs.UNIFIED:
        return {"lines": diffs.unified(old, new, old_label=f"r{a.number}", new_label=f"r{b.number}")}
    return {"rows": diffs.side_by_side(old, new)}


@staff_required
def page_edit(request, slug):
    page = _page_or_404(request, slug)
    if not WIKI.may_act(request.user, "edit", page):
        raise PermissionDenied
    form = {"title": page.current.title if page.current_id else page.title, "body": page.current.body if page.current_id else "",
            "reason": "", "base": page.current.number if page.current_id else 0}
    if request.method == "POST":
        form = {k: request.POST.get(k, "") for k in ("title", "body", "reason", "base")}
        try:
            services.page_edit(user=request.user, page=page, title=form["title"], body=form["body"], reason=form["reason"],
                               base_number=int(form["base"]) if form["base"].isdigit() else None)
            messages.success(request, _("The page is saved as a new revision."))
            return redirect("wiki-page", slug=page.slug)
        except ApplicationError as exc:
            _fail(request, exc)
    return render(request, "wiki/edit.html", {"wpage": page, "form": form, "mode": "edit"})


@staff_required
def page_new(request):
    form = {"kind": Page.Kind.FAQ, "slug": "", "title": "", "body": "", "reason": "", "visibility": Page.Visibility.PUBLIC,
            "region_code": ""}
    if request.method == "POST":
        form = {k: request.POST.get(k, "") for k in form}
        try:
            page = services.page_create(user=request.user, **form)
            messages.success(request, _("The page is created."))
            return redirect("wiki-page", slug=page.slug)
        except ApplicationError as exc:
            _fail(request, exc)
    return render(request, "wiki/edit.html", {"form": form, "mode": "new", "kinds": Page.Kind.choices,
                                              "visibilities": Page.Visibility.choices})


@login_required
def page_propose(request, slug):
    page = _page_or_404(request, slug)
    form = {"title": page.current.title if page.current_id else page.title, "body": page.current.body if page.current_id else "",
            "reason": ""}
    if request.method == "POST":
        form = {k: request.POST.get(k, "") for k in form}
        try:
            services.proposal_submit(user=request.user, page=page, **form)
            messages.success(request, _("Thank you. Your proposal is sent to the moderators; you will be told of their decision."))
            return redirect("wiki-page", slug=page.slug)
        except ApplicationError as exc:
            _fail(request, exc)
    return render(request, "wiki/edit.html", {"wpage": page, "form": form, "mode": "propose"})


@login_required
def proposal_list(request):
    status = request.GET.get("status", "")
    mine = request.GET.get("mine") == "1" or not may_moderate_somewhere(request.user)
    qs = (selectors.proposals_for_user(user=request.user, status=status or None).filter(proposer=request.user) if mine
          else selectors.moderation_queue(user=request.user, status=status or None))
    pager = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "wiki/proposals.html", {"page": pager, "proposals": list(pager.object_list), "status": status,
                                                   "statuses": Proposal.Status.choices, "mine": mine,
                                                   "may_moderate": may_moderate_somewhere(request.user)})


@login_required
def proposal_detail(request, pk):
    try:
        proposal = selectors.proposal_get_for_user(user=request.user, id=pk)
    except NotFound:
        raise Http404 from None
    page = proposal.page
    base = proposal.base
    old = f"# {base.title}\n\n{base.body}" if base else ""
    rows = diffs.side_by_side(old, f"# {proposal.title}\n\n{proposal.body}")
    return render(request, "wiki/proposal.html", {
        "proposal": proposal, "wpage": page, "rows": rows, "stale": page.current_id != proposal.base_id,
        "may_moderate": WIKI.allows(request.user, "moderate", proposal),
    })


@login_required
@require_POST
def proposal_moderate(request, pk):
    try:
        proposal = selectors.proposal_get_for_user(user=request.user, id=pk)
    except NotFound:
        raise Http404 from None
    try:
        services.proposal_moderate(user=request.user, proposal=proposal, decision=request.POST.get("decision", ""),
                                   reason=request.POST.get("reason", ""), title=request.POST.get("title", ""),
                                   body=request.POST.get("body", ""))
        messages.success(request, _("The proposal is decided; the proposer is told."))
        return redirect("wiki-proposals")
    except ApplicationError as exc:
        _fail(request, exc)
    return redirect("wiki-proposal", pk=proposal.pk)
