"""Staff pages of evidence preservation: a scoped list and one evidence with its preview, proof and bundle."""
from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from apps.accounts.decorators import staff_required
from apps.evidence import keys, log, selectors
from apps.evidence.api.views import bundle_response, file_response
from apps.gbcp.errors import NotFound

PAGE_SIZE = 25


def _evidence_or_404(user, pk):
    try:
        return selectors.evidence_get_for_user(user=user, id=pk)
    except NotFound:
        raise Http404


@staff_required
def evidence_list(request):
    kind = request.GET.get("kind") or None
    q = (request.GET.get("q") or "").strip() or None
    qs = selectors.evidence_list_for_user(user=request.user, kind=kind, q=q)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "evidence/evidence_list.html", {"page": page, "items": list(page.object_list), "kind": kind or "", "q": q or ""})


@staff_required
def evidence_detail(request, pk):
    evidence = _evidence_or_404(request.user, pk)
    proof = log.proof_for(evidence)
    subject_url = None
    if evidence.subject_type_id and evidence.subject_type.app_label == "dispatch" and evidence.subject_type.model == "task":
        subject_url = reverse("dispatch-task-detail", kwargs={"pk": evidence.subject_id})
    return render(request, "evidence/evidence_detail.html", {
        "evidence": evidence, "proof": proof, "entry_text": evidence.log_entry.entry, "subject_url": subject_url,
        "tiles_url": settings.MAP_TILES_URL, "tiles_attribution": settings.MAP_TILES_ATTRIBUTION,
    })


def public_keys(request):
    """The log's published keys, for anyone who verifies a bundle (public: keys are meant to be known)."""
    return render(request, "evidence/public_keys.html", {"keys": keys.published_keys(), "latest": log.latest_tree_head()})


@staff_required
def evidence_file(request, pk):
    return file_response(_evidence_or_404(request.user, pk))


@staff_required
def evidence_bundle(request, pk):
    return bundle_response(_evidence_or_404(request.user, pk))
