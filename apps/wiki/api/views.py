"""Wiki API: pages (list, search, detail, revisions, diff) for everyone who may read them; edits, proposals, moderation."""
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.gbcp.errors import ApplicationError
from apps.wiki import diffs, search, selectors, services
from apps.wiki.api import serializers as s
from apps.wiki.models import Page, Proposal, Revision


class PageListView(generics.ListAPIView):
    """Pages the caller may read (public pages for visitors; staff-only pages too for staff)."""

    permission_classes = [AllowAny]
    serializer_class = s.WikiPageListSerializer

    @extend_schema(parameters=[OpenApiParameter("kind", str, enum=Page.Kind.values)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Page.objects.none()
        return selectors.page_list_for_user(user=self.request.user, kind=self.request.query_params.get("kind") or None)


class SearchView(APIView):
    """Chinese full-text search, best first by BM25 (the same order on SQLite and PostgreSQL)."""

    permission_classes = [AllowAny]

    @extend_schema(parameters=[OpenApiParameter("q", str, required=True)], responses=s.WikiSearchHitSerializer(many=True))
    def get(self, request):
        q = (request.query_params.get("q") or "").strip()[:100]
        if not q:
            raise ApplicationError("q is required.", code="invalid", details={"q": "required"})
        hits = search.search(q=q, pages=selectors.pages_for_user(user=request.user))
        return Response(s.WikiSearchHitSerializer(hits, many=True).data)


class PageDetailView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=s.WikiPageDetailSerializer)
    def get(self, request, slug):
        page = selectors.page_get_for_user(user=request.user, slug=slug)
        return Response(s.WikiPageDetailSerializer(page, context={"request": request, "links": selectors.page_links(page)}).data)


class RevisionListView(generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = s.WikiRevisionSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Revision.objects.none()
        return selectors.revisions_of(selectors.page_get_for_user(user=self.request.user, slug=self.kwargs["slug"]))


class DiffView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(parameters=[OpenApiParameter("a", int, required=True), OpenApiParameter("b", int, required=True),
                               OpenApiParameter("mode", str, enum=list(diffs.MODES))], responses=s.WikiDiffSerializer)
    def get(self, request, slug):
        page = selectors.page_get_for_user(user=request.user, slug=slug)
        a = selectors.revision_get(page=page, number=request.query_params.get("a"))
        b = selectors.revision_get(page=page, number=request.query_params.get("b"))
        mode = request.query_params.get("mode") or diffs.SIDE_BY_SIDE
        if mode not in diffs.MODES:
            raise ApplicationError("mode is side or unified.", code="invalid", details={"mode": list(diffs.MODES)})
        old, new = f"# {a.title}\n\n{a.body}", f"# {b.title}\n\n{b.body}"
        body = {"a": a.number, "b": b.number, "mode": mode}
        if mode == diffs.UNIFIED:
            body["lines"] = diffs.as_dicts(diffs.unified(old, new, old_label=f"r{a.number}", new_label=f"r{b.number}"))
        else:
            body["rows"] = diffs.as_dicts(diffs.side_by_side(old, new))
        return Response(body)


class PageEditView(APIView):
    """A staff edit: a new revision under the caller's name (the policy's ``edit`` step)."""

    @extend_schema(request=s.WikiEditInSerializer, responses={201: s.WikiRevisionSerializer})
    def post(self, request, slug):
        body = s.WikiEditInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        page = selectors.page_get_for_user(user=request.user, slug=slug)
        d = body.validated_data
        revision = services.page_edit(user=request.user, page=page, title=d["title"], body=d["body"], reason=d["reason"],
                                      base_number=d.get("base"))
        return Response(s.WikiRevisionSerializer(revision).data, status=status.HTTP_201_CREATED)


class ProposalCreateView(APIView):
    """Any signed-in reader of the page proposes an edit; the moderators decide."""

    @extend_schema(request=s.WikiProposeInSerializer, responses={201: s.WikiProposalSerializer})
    def post(self, request, slug):
        body = s.WikiProposeInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        page = selectors.page_get_for_user(user=request.user, slug=slug)
        proposal = services.proposal_submit(user=request.user, page=page, **body.validated_data)
        return Response(s.WikiProposalSerializer(proposal, context={"request": request}).data, status=status.HTTP_201_CREATED)


class ProposalListView(generics.ListAPIView):
    """The caller's own proposals and those they moderate."""

    serializer_class = s.WikiProposalSerializer

    @extend_schema(parameters=[OpenApiParameter("status", str, enum=Proposal.Status.values)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Proposal.objects.none()
        return selectors.proposals_for_user(user=self.request.user, status=self.request.query_params.get("status") or None)


class ProposalDetailView(APIView):
    @extend_schema(responses=s.WikiProposalSerializer)
    def get(self, request, pk):
        proposal = selectors.proposal_get_for_user(user=request.user, id=pk)
        return Response(s.WikiProposalSerializer(proposal, context={"request": request}).data)


class ProposalModerateView(APIView):
    @extend_schema(request=s.WikiModerateInSerializer, responses=s.WikiProposalSerializer)
    def post(self, request, pk):
        body = s.WikiModerateInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        proposal = selectors.proposal_get_for_user(user=request.user, id=pk)
        decided = services.proposal_moderate(user=request.user, proposal=proposal, **body.validated_data)
        return Response(s.WikiProposalSerializer(decided, context={"request": request}).data)
