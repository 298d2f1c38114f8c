"""Inspection API for the mobile client and staff: draws and their replay, records, findings, self-checks, plans, assignments."""
import json

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.parsers import MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.gbcp import idempotency
from apps.gbcp.api.params import parse_date_param, parse_id_param
from apps.gbcp.api.parsers import BoundedFormParser, BoundedJSONParser
from apps.gbcp.errors import ApplicationError
from apps.gbcp.selectors import place_get_for_user
from apps.inspection import selectors, services
from apps.inspection.api import serializers as s


class ChecklistListView(generics.ListAPIView):
    """Active checklists with their items (filter with place_kind)."""

    serializer_class = s.ChecklistSerializer

    @extend_schema(parameters=[OpenApiParameter("place_kind", str)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        qs = selectors.checklist_list()
        kind = self.request.query_params.get("place_kind")
        return qs.filter(place_kind=kind) if kind else qs


# --- draws --------------------------------------------------------------------------------

class DrawListCreateView(generics.ListCreateAPIView):
    serializer_class = s.DrawSerializer

    def get_queryset(self):
        return selectors.draw_list_for_user(user=self.request.user)

    @extend_schema(request=s.DrawCreateSerializer, responses={201: s.DrawSerializer})
    def post(self, request, *args, **kwargs):
        data = s.DrawCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        draw = services.draw_create(user=request.user, **data.validated_data)
        return Response(s.DrawSerializer(draw).data, status=status.HTTP_201_CREATED)


class DrawDetailView(APIView):
    @extend_schema(responses=s.DrawSerializer)
    def get(self, request, pk):
        return Response(s.DrawSerializer(selectors.draw_get_for_user(user=request.user, id=pk)).data)


class DrawReplayView(APIView):
    """Recompute the draw from its stored seed and inputs and compare with the stored result."""

    @extend_schema(responses=s.ReplaySerializer)
    def get(self, request, pk):
        return Response(services.draw_replay(draw=selectors.draw_get_for_user(user=request.user, id=pk)))


class DrawPublishView(APIView):
    @extend_schema(request=None, responses=s.DrawSerializer)
    def post(self, request, pk):
        draw = services.draw_publish(user=request.user, draw=selectors.draw_get_for_user(user=request.user, id=pk))
        return Response(s.DrawSerializer(draw).data)


# --- records and findings ----------------------------------------------------------------------

class RecordListCreateView(generics.ListCreateAPIView):
    serializer_class = s.RecordListSerializer
    parser_classes = [BoundedJSONParser, MultiPartParser, BoundedFormParser]

    @extend_schema(parameters=[OpenApiParameter("place", int), OpenApiParameter("passed", bool)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        p = self.request.query_params
        qs = selectors.record_list_for_user(user=self.request.user)
        place = parse_id_param(p.get("place"), "place")
        if place is not None:
            qs = qs.filter(place_id=place)
        if p.get("passed") in {"true", "1", "false", "0"}:
            qs = qs.filter(passed=p["passed"] in {"true", "1"})
        return qs

    @extend_schema(request={"application/json": s.RecordCreateSerializer, "multipart/form-data": s.RecordCreateSerializer},
                   responses={201: s.RecordDetailSerializer})
    def post(self, request, *args, **kwargs):
        """With an ``Idempotency-Key`` header a retry answers the first answer again (``Idempotent-Replayed: true``)."""
        key = idempotency.key_from_request(request)
        code, body, replayed = services.inspection_record_idempotent(
            user=request.user, key=key, fingerprint=idempotency.request_fingerprint(request, "inspection-record") if key else "",
            run=lambda: (status.HTTP_201_CREATED, json.loads(JSONRenderer().render(self._record(request)))),
        )
        response = Response(body, status=code)
        if replayed:
            response[idempotency.REPLAY_HEADER] = "true"
        return response

    def _record(self, request):
        data = s.RecordCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        d = data.validated_data
        match = services.place_identify(
            user=request.user, city_code=d.get("city_code"), qr_photo=d.get("qr_photo"), ledger_id=d.get("ledger_id"),
            point=d["point"] if d.get("use_point_to_identify") else None,
        )
        record = services.inspection_record(
            user=request.user, place=match.place, co_officer=d.get("co_officer"), answers=d["answers"], point=d["point"],
            inspected_at=d.get("inspected_at"), identified_by=match.identified_by, photos=d.get("photos") or (),
            licence_photo=d.get("licence_photo"), uscc_typed=d.get("uscc", ""), note=d.get("note", ""), draw=d.get("draw"),
        )
        record = selectors.record_get_for_user(user=request.user, id=record.pk)
        return s.RecordDetailSerializer(record).data


class RecordDetailView(APIView):
    @extend_schema(responses=s.RecordDetailSerializer)
    def get(self, request, pk):
        return Response(s.RecordDetailSerializer(selectors.record_get_for_user(user=request.user, id=pk)).data)


class FindingListView(generics.ListAPIView):
    serializer_class = s.InspectionFindingSerializer

    @extend_schema(parameters=[OpenApiParameter("open", bool)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.finding_list_for_user(user=self.request.user, open_only=self.request.query_params.get("open") in {"1", "true"})


class _FindingActionView(APIView):
    action = None

    @extend_schema(request=None, responses=s.InspectionFindingSerializer)
    def post(self, request, pk):
        finding = selectors.finding_get_for_user(user=request.user, id=pk)
        finding = getattr(services, self.action)(user=request.user, finding=finding)
        return Response(s.InspectionFindingSerializer(selectors.finding_get_for_user(user=request.user, id=finding.pk)).data)


class FindingToTaskView(_FindingActionView):
    """Hand the finding to the task centre (once)."""

    action = "finding_to_task"


class FindingToCaseView(_FindingActionView):
    """Open an enforcement case with the item's cause (once)."""

    action = "finding_to_case"


# --- self-checks ----------------------------------------------------------------------------------

class SelfCheckListCreateView(generics.ListCreateAPIView):
    """A merchant's self-checks of its own places (staff: those in their jurisdiction)."""

    serializer_class = s.SelfCheckSerializer

    def get_queryset(self):
        return selectors.self_check_list_for_user(user=self.request.user)

    @extend_schema(request=s.SelfCheckCreateSerializer, responses={201: s.SelfCheckSerializer})
    def post(self, request, *args, **kwargs):
        data = s.SelfCheckCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        check = services.self_check_submit(user=request.user, **data.validated_data)
        check = selectors.self_check_list_for_user(user=request.user).get(pk=check.pk)
        return Response(s.SelfCheckSerializer(check).data, status=status.HTTP_201_CREATED)


# --- plans and assignments ---------------------------------------------------------------------------

class PlanListCreateView(generics.ListCreateAPIView):
    serializer_class = s.PlanSerializer

    def get_queryset(self):
        return selectors.plan_list_for_user(user=self.request.user)

    @extend_schema(request=s.PlanCreateSerializer, responses={201: s.PlanSerializer})
    def post(self, request, *args, **kwargs):
        data = s.PlanCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        plan = services.plan_create(user=request.user, **data.validated_data)
        return Response(s.PlanSerializer(plan).data, status=status.HTTP_201_CREATED)


class PatrolStartView(APIView):
    """Bottom-up: an officer starts a patrol plan for his grid or street."""

    @extend_schema(request=s.PatrolStartSerializer, responses={201: s.PlanSerializer})
    def post(self, request):
        data = s.PatrolStartSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        plan = services.plan_start_on_patrol(user=request.user, **data.validated_data)
        return Response(s.PlanSerializer(plan).data, status=status.HTTP_201_CREATED)


class PlanGenerateView(APIView):
    @extend_schema(request=s.GenerateSerializer, responses=s.GenerateResultSerializer)
    def post(self, request, pk):
        plan = selectors.plan_get_for_user(user=request.user, id=pk)
        data = s.GenerateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if (data.validated_data["until"] - plan.starts_on).days > 366:
            raise ApplicationError(_("Generate at most a year ahead."), code="too_far_ahead")
        created = services.plan_generate_assignments(user=request.user, plan=plan, until=data.validated_data["until"])
        return Response({"created": len(created)})


class AssignmentListView(generics.ListAPIView):
    serializer_class = s.AssignmentSerializer

    @extend_schema(parameters=[OpenApiParameter("status", str), OpenApiParameter("mine", bool), OpenApiParameter("due_before", str)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        p = self.request.query_params
        due_before = parse_date_param(p["due_before"], "due_before") if p.get("due_before") else None
        return selectors.assignment_list_for_user(user=self.request.user, status=p.getlist("status") or None,
                                                  mine=p.get("mine") in {"1", "true"}, due_before=due_before)


class PlaceChecklistView(APIView):
    """The checklist to fill at a place (staff in whose jurisdiction it lies, or the merchant operating it)."""

    @extend_schema(responses=s.ChecklistSerializer)
    def get(self, request, pk):
        place = selectors.merchant_places(user=request.user).filter(pk=pk).first() or place_get_for_user(user=request.user, id=pk)
        checklist = selectors.checklist_for_place(place=place)
        if checklist is None:
            raise ApplicationError(_("There is no checklist for this kind of place."), code="no_checklist", status_code=404)
        return Response(s.ChecklistSerializer(checklist).data)
