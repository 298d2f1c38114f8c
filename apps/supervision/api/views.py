"""Supervision API for the mobile client: the items the caller may see, one item with its ``actions``, creating one,
and every step. Another district's item answers 404, like one that does not exist."""
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.supervision import selectors, services
from apps.supervision.api import serializers as s
from apps.supervision.models import OPEN_STATUSES


class ItemListView(generics.ListAPIView):
    """Items whose region lies in the caller's jurisdiction or that the caller's unit must handle, newest first."""

    serializer_class = s.SupervisionItemListSerializer

    @extend_schema(parameters=[OpenApiParameter("status", str), OpenApiParameter("alert", str, enum=["yellow", "red", "none"]),
                               OpenApiParameter("source", str, enum=["manual", "rule"]), OpenApiParameter("mine", bool)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        p = self.request.query_params
        status = p.getlist("status") or None
        if status == ["open"]:
            status = list(OPEN_STATUSES)
        return selectors.item_list_for_user(user=self.request.user, status=status, alert=p.get("alert") or None,
                                            source=p.get("source") or None, mine=p.get("mine") in {"1", "true"})


def _detail(request, pk, status=200):
    item = selectors.item_get_for_user(user=request.user, id=pk)
    return Response(s.SupervisionItemDetailSerializer(item, context={"request": request}).data, status=status)


class ItemCreateView(APIView):
    """A leader or supervisor creates an item; it goes straight to dispatch."""

    @extend_schema(request=s.SupervisionItemCreateSerializer, responses={201: s.SupervisionItemDetailSerializer})
    def post(self, request):
        serializer = s.SupervisionItemCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        d = serializer.validated_data
        item = services.item_create(user=request.user, title=d["title"], body=d["body"], organization=d["organization"],
                                    deadline_days=d["deadline_days"], task=d.get("task"))
        return _detail(request, item.pk, status=201)


class ItemDetailView(APIView):
    @extend_schema(responses=s.SupervisionItemDetailSerializer)
    def get(self, request, pk):
        return _detail(request, pk)


class _StepView(APIView):
    serializer_class = None

    def act(self, request, item, data):  # pragma: no cover - overridden
        raise NotImplementedError

    def post(self, request, pk):
        item = selectors.item_get_for_user(user=request.user, id=pk)
        data = {}
        if self.serializer_class is not None:
            serializer = self.serializer_class(data=request.data, context={"request": request})
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
        self.act(request, item, data)
        return _detail(request, item.pk)


def _step(name, serializer, func, doc):
    view = type(name, (_StepView,), {"serializer_class": serializer, "act": lambda self, r, i, d: func(r, i, d), "__doc__": doc})
    return extend_schema(request=serializer, responses=s.SupervisionItemDetailSerializer)(view).as_view()


sign = _step("ItemSignView", None, lambda r, i, d: services.item_sign(user=r.user, item=i), "Sign for an item raised by a rule (签收).")
dispatch = _step("ItemDispatchView", s.SupervisionDispatchSerializer,
                 lambda r, i, d: services.item_dispatch(user=r.user, item=i, organization=d.get("organization"), note=d.get("note", "")),
                 "Dispatch to the responsible unit, or to another unit of the caller's jurisdiction (交办).")
handle = _step("ItemHandleView", s.SupervisionResultSerializer, lambda r, i, d: services.item_handle(user=r.user, item=i, result=d["result"]),
               "The responsible unit reports what it did (办理).")
approve = _step("ItemApproveView", None, lambda r, i, d: services.item_review(user=r.user, item=i, approved=True), "The supervisor passes the review.")
return_ = _step("ItemReturnView", s.SupervisionReasonSerializer, lambda r, i, d: services.item_review(user=r.user, item=i, approved=False, reason=d["reason"]),
                "The supervisor returns the item to the unit, with a reason.")
close = _step("ItemCloseView", s.SupervisionFeedbackSerializer, lambda r, i, d: services.item_close(user=r.user, item=i, feedback=d["feedback"]),
              "Close with the feedback (办结).")
archive = _step("ItemArchiveView", None, lambda r, i, d: services.item_archive(user=r.user, item=i), "Archive (归档).")
