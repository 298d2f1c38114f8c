"""Credit API: a business's grade with its contributions and records, objections and their decision, repair, place risk."""
from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.credit import selectors, services
from apps.credit.joint import joint_list_for_user
from apps.credit.services.exports import CONTENT_TYPES
from apps.credit.api import serializers as s
from apps.credit.models import EntityGrade, Objection
from apps.gbcp.errors import NotFound


def _grade_payload(request, entity):
    records = list(selectors.records_for_entity(entity=entity))
    ruleset = services.ruleset_current()
    repairable = {r.pk: services.repairable_from(r, ruleset) for r in records if r.status == r.Status.ACTIVE}
    return s.GradeSerializer(entity, context={"request": request, "grade": selectors.grade_for(entity), "records": records,
                                              "repairable": repairable}).data


class EntityCreditView(APIView):
    @extend_schema(responses=s.GradeSerializer)
    def get(self, request, pk):
        return Response(_grade_payload(request, selectors.entity_get_for_user(user=request.user, id=pk)))


class MyCreditView(APIView):
    """The signed-in merchant's own business; anyone else has none (404)."""

    @extend_schema(responses=s.GradeSerializer)
    def get(self, request):
        if not getattr(request.user, "entity_id", None):
            raise NotFound()
        return Response(_grade_payload(request, selectors.entity_get_for_user(user=request.user, id=request.user.entity_id)))


class GradeListView(generics.ListAPIView):
    serializer_class = s.GradeListSerializer

    @extend_schema(parameters=[OpenApiParameter("grade", str), OpenApiParameter("q", str)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return EntityGrade.objects.none()
        p = self.request.query_params
        return selectors.grade_list_for_user(user=self.request.user, grade=p.get("grade") or None, q=(p.get("q") or "").strip() or None)


class ObjectionCreateView(APIView):
    @extend_schema(request=s.ObjectionInSerializer, responses={201: s.ObjectionSerializer})
    def post(self, request, pk):
        body = s.ObjectionInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        record = selectors.record_get_for_user(user=request.user, id=pk)
        objection = services.objection_submit(user=request.user, record=record, text=body.validated_data["text"])
        return Response(s.ObjectionSerializer(objection, context={"request": request}).data, status=status.HTTP_201_CREATED)


class RecordRepairView(APIView):
    @extend_schema(request=s.RepairInSerializer, responses=s.RecordSerializer)
    def post(self, request, pk):
        body = s.RepairInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        record = selectors.record_get_for_user(user=request.user, id=pk)
        repaired = services.repair_record(user=request.user, record=record, reason=body.validated_data["reason"])
        return Response(s.RecordSerializer(repaired, context={"request": request}).data)


class ObjectionListView(generics.ListAPIView):
    serializer_class = s.ObjectionSerializer

    @extend_schema(parameters=[OpenApiParameter("status", str)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Objection.objects.none()
        return selectors.objection_list_for_user(user=self.request.user, status=self.request.query_params.get("status") or None)


class ObjectionDecideView(APIView):
    @extend_schema(request=s.DecisionInSerializer, responses=s.ObjectionSerializer)
    def post(self, request, pk):
        body = s.DecisionInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        objection = selectors.objection_get_for_user(user=request.user, id=pk)
        decided = services.objection_decide(user=request.user, objection=objection, **body.validated_data)
        return Response(s.ObjectionSerializer(decided, context={"request": request}).data)


class PlaceRiskView(APIView):
    @extend_schema(responses=s.PlaceRiskSerializer)
    def get(self, request, pk):
        return Response(s.PlaceRiskSerializer(selectors.place_risk_get_for_user(user=request.user, place_id=pk)).data)


class JointListView(generics.ListAPIView):
    """联合惩戒名单 of the caller's jurisdiction (staff; anyone else an empty list)."""

    serializer_class = s.JointListSerializer

    @extend_schema(parameters=[OpenApiParameter("q", str)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return EntityGrade.objects.none()  # the schema generator only needs a model; the list is built, not queried
        return joint_list_for_user(user=self.request.user, q=(self.request.query_params.get("q") or "").strip() or None)


class JointExportView(APIView):
    """The list as a file for the city credit platform (legal reviewers, leaders, administrators; logged)."""

    @extend_schema(responses={(200, "text/csv"): bytes, (200, CONTENT_TYPES["xlsx"]): bytes})
    def get(self, request, fmt):
        if fmt not in CONTENT_TYPES:
            raise NotFound()
        content, name, log = services.joint_list_export(user=request.user, fmt=fmt)
        response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["X-Export-Id"], response["X-Export-Rows"], response["X-Export-SHA256"] = str(log.pk), str(log.rows), log.sha256
        return response
