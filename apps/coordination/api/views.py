"""Coordination API: case leads (list, one with its ``actions``, create, register, every step, the kept bundle) for staff;
and the shared datasets for other departments, read with a Bearer token, each read logged in its own transaction."""
import datetime as dt
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import EmptyPage, Paginator
from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.throttling import client_ip, hit, too_many_requests
from apps.coordination import selectors, services
from apps.coordination.api import serializers as s
from apps.coordination.models import ShareAccess
from apps.coordination.sharing import DATASETS
from apps.gbcp.api.errors import error_body
from apps.gbcp.errors import NotFound
from apps.gbcp.files import send_file


class LeadListView(generics.ListAPIView):
    """Leads the caller may see, newest first: ``direction`` (out/in), ``status`` (or "open"), ``department``, ``overdue``, ``q``."""

    serializer_class = s.LeadListSerializer

    @extend_schema(parameters=[OpenApiParameter("direction", str, enum=["out", "in"]), OpenApiParameter("status", str),
                               OpenApiParameter("department", int), OpenApiParameter("overdue", bool), OpenApiParameter("q", str)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        p = self.request.query_params
        department = p.get("department")
        return selectors.lead_list_for_user(user=self.request.user, direction=p.get("direction") or None, status=p.get("status") or None,
                                            department=int(department) if (department or "").isdigit() else None,
                                            overdue=p.get("overdue") in {"1", "true"}, q=p.get("q") or None)


def _detail(request, pk, status=200):
    lead = selectors.lead_get_for_user(user=request.user, id=pk)
    return Response(s.LeadDetailSerializer(lead, context={"request": request}).data, status=status)


class LeadCreateView(APIView):
    """A coordinator drafts a lead to hand out to another department (with the linked task's or case's evidence)."""

    @extend_schema(request=s.LeadCreateSerializer, responses={201: s.LeadDetailSerializer})
    def post(self, request):
        serializer = s.LeadCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        d = serializer.validated_data
        lead = services.lead_create(user=request.user, organization=d["organization"], department=d["department"], title=d["title"],
                                    facts=d["facts"], legal_basis=d["legal_basis"], task=d.get("task"), case=d.get("case"),
                                    evidence=d.get("evidence", []), attach_linked_evidence=d["attach_linked_evidence"],
                                    receipt_days=d["receipt_days"], feedback_days=d["feedback_days"])
        return _detail(request, lead.pk, status=201)


class LeadRegisterView(APIView):
    """A coordinator registers a lead taken in from another department."""

    @extend_schema(request=s.LeadRegisterSerializer, responses={201: s.LeadDetailSerializer})
    def post(self, request):
        serializer = s.LeadRegisterSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        d = serializer.validated_data
        lead = services.lead_register(user=request.user, organization=d["organization"], department=d["department"], title=d["title"],
                                      facts=d["facts"], external_ref=d["external_ref"], legal_basis=d["legal_basis"])
        return _detail(request, lead.pk, status=201)


class LeadDetailView(APIView):
    @extend_schema(responses=s.LeadDetailSerializer)
    def get(self, request, pk):
        return _detail(request, pk)


class LeadBundleView(APIView):
    """The evidence bundle kept when the lead was sent (zip), for whoever may see the lead."""

    @extend_schema(responses={(200, "application/zip"): OpenApiTypes.BINARY})
    def get(self, request, pk):
        lead = selectors.lead_get_for_user(user=request.user, id=pk)
        if not lead.bundle:
            raise NotFound()
        return send_file(request, lead.bundle, content_type="application/zip", download_name=f"{lead.number}.zip", inline=False)


class _StepView(APIView):
    serializer_class = None

    def act(self, request, lead, data):  # pragma: no cover - overridden
        raise NotImplementedError

    def post(self, request, pk):
        lead = selectors.lead_get_for_user(user=request.user, id=pk)
        data = {}
        if self.serializer_class is not None:
            serializer = self.serializer_class(data=request.data, context={"request": request})
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
        self.act(request, lead, data)
        return _detail(request, lead.pk)


def _step(name, serializer, func, doc):
    view = type(name, (_StepView,), {"serializer_class": serializer, "act": lambda self, r, i, d: func(r, i, d), "__doc__": doc})
    return extend_schema(request=serializer, responses=s.LeadDetailSerializer)(view).as_view()


send = _step("LeadSendView", None, lambda r, i, d: services.lead_send(user=r.user, lead=i), "Hand the lead over (移送); its bundle is made and kept.")
acknowledge = _step("LeadAcknowledgeView", s.LeadAcknowledgeSerializer,
                    lambda r, i, d: services.lead_acknowledge(user=r.user, lead=i, signed_by=d["signed_by"], reference=d["reference"]),
                    "The department signs for the lead (签收), or our staff record it with a reference.")
answer = _step("LeadAnswerView", s.LeadAnswerSerializer,
               lambda r, i, d: services.lead_answer(user=r.user, lead=i, accepted=d["accepted"], reason=d["reason"], reference=d["reference"]),
               "The department accepts the lead or refuses it with a reason.")
feedback = _step("LeadFeedbackView", s.LeadFeedbackSerializer,
                 lambda r, i, d: services.lead_feedback(user=r.user, lead=i, result=d["result"], reference=d["reference"]),
                 "The department feeds back the result.")
close = _step("LeadCloseView", s.LeadNoteSerializer, lambda r, i, d: services.lead_close(user=r.user, lead=i, note=d["note"]), "Close (办结).")
accept_in = _step("LeadAcceptInView", s.LeadAcceptInSerializer, lambda r, i, d: services.lead_accept_in(user=r.user, lead=i, outcome=d["outcome"]),
                  "Accept a lead taken in: it becomes a dispatch task or an enforcement case.")
refuse_in = _step("LeadRefuseInView", s.LeadReasonSerializer, lambda r, i, d: services.lead_refuse_in(user=r.user, lead=i, reason=d["reason"]),
                  "Refuse a lead taken in, with a reason.")


# --- shared data ----------------------------------------------------------------------------------------------------------


def _refuse(request, *, status, code, message, token=None, dataset="", purpose="", reason=""):
    services.access_record(token=token, dataset=dataset, purpose=purpose, query=dict(request.query_params.lists()), outcome=ShareAccess.Outcome.REFUSED,
                           reason=reason or code, ip=client_ip(request), region_code=getattr(token, "region_code", ""))
    response = Response(error_body(code, message), status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="coordination-share"'
    return response


class ShareView(APIView):
    """A shared dataset for another department: ``Authorization: Bearer <token>``, a ``purpose``, pages of records of the
    token's region, each field released, masked or withheld by the data-class table. Every call, answered or refused,
    writes one access-log line in the transaction that answers it."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(parameters=[OpenApiParameter("purpose", str, required=True), OpenApiParameter("page", int),
                               OpenApiParameter("page_size", int), OpenApiParameter("since", OpenApiTypes.DATE),
                               OpenApiParameter("until", OpenApiTypes.DATE)],
                   responses={200: OpenApiTypes.OBJECT})
    def get(self, request, dataset):
        retry_after = hit(request._request, group="coordination-share", rate=settings.RATE_LIMITS["coordination-share"])
        if retry_after is not None:
            return too_many_requests(request._request, retry_after=retry_after)
        p = request.query_params
        purpose = (p.get("purpose") or "").strip()[:200]
        with transaction.atomic():
            header = request.META.get("HTTP_AUTHORIZATION", "")
            scheme, _sp, raw = header.partition(" ")
            token, why = services.token_check(raw if scheme.lower() == "bearer" else "")
            if why:
                return _refuse(request, status=401, code="token_invalid", token=token, dataset=dataset[:32], purpose=purpose, reason=f"token_{why}",
                               message=_("A valid, unexpired and unrevoked token is required (Authorization: Bearer …). 需要有效的共享令牌。"))
            if dataset not in DATASETS:
                return _refuse(request, status=404, code="not_found", token=token, dataset=dataset[:32], purpose=purpose, reason="unknown_dataset",
                               message=_("No such dataset. 无此数据集。"))
            if dataset not in token.datasets:
                return _refuse(request, status=403, code="out_of_scope", token=token, dataset=dataset, purpose=purpose,
                               message=_("This token may not read this dataset. 该令牌无权读取此数据集。"))
            if not purpose:
                return _refuse(request, status=400, code="purpose_required", token=token, dataset=dataset,
                               message=_("Say what the data is for (purpose). 请说明用途（purpose）。"))
            try:
                size = min(max(int(p.get("page_size") or settings.COORDINATION_SHARE_PAGE_SIZE), 1), settings.COORDINATION_SHARE_MAX_PAGE_SIZE)
                number = max(int(p.get("page") or 1), 1)
                since, until = _date(p.get("since")), _date(p.get("until"))
            except ValueError:
                return _refuse(request, status=400, code="invalid", token=token, dataset=dataset, purpose=purpose,
                               message=_("page, page_size, since and until must be numbers and dates (YYYY-MM-DD). 参数格式错误。"))
            spec = DATASETS[dataset]
            paginator = Paginator(spec.queryset(prefixes=[token.region_code], since=since, until=until), size)
            try:
                page = paginator.page(number)
            except EmptyPage:
                return _refuse(request, status=404, code="not_found", token=token, dataset=dataset, purpose=purpose, reason="page_out_of_range",
                               message=_("No such page. 无此页。"))
            rows = spec.rows(page.object_list)
            services.access_record(token=token, dataset=dataset, purpose=purpose, query=dict(p.lists()), records=len(rows), ip=client_ip(request))
            base = request.build_absolute_uri(request.path)
            query = {k: v for k, v in p.items() if k != "page"}

            def link(n):
                return f"{base}?{urlencode({**query, 'page': n})}"

            return Response({
                "dataset": dataset, "purpose": purpose, "region_code": token.region_code, "count": paginator.count,
                "next": link(page.next_page_number()) if page.has_next() else None,
                "previous": link(page.previous_page_number()) if page.has_previous() else None, "results": rows,
            })


def _date(value):
    if not value:
        return None
    return dt.date.fromisoformat(value)
