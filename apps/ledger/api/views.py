"""Ledger API: licences, zones, key points, the ledger of a place, imports, findings and send-back, corrections."""
from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.gbcp.api.params import parse_id_param
from apps.gbcp.api.parsers import BoundedFormParser
from apps.gbcp.errors import NotFound
from apps.gbcp.selectors import place_get_for_user
from apps.ledger import selectors, services
from apps.ledger.api import serializers as s
from apps.ledger.models import Correction, Finding, FrontageAssessment, FrontageZone, KeyPoint, Licence, SendBack


def _flag(value):
    return {"1": True, "true": True, "0": False, "false": False}.get((value or "").lower())


class LicenceListView(generics.ListAPIView):
    serializer_class = s.LicenceSerializer

    @extend_schema(parameters=[OpenApiParameter("q", str), OpenApiParameter("kind", str), OpenApiParameter("status", str),
                               OpenApiParameter("expired", bool), OpenApiParameter("place", int)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Licence.objects.none()
        p = self.request.query_params
        return selectors.licence_list_for_user(
            user=self.request.user, q=p.get("q") or None, kind=p.get("kind") or None, status=p.get("status") or None,
            expired=_flag(p.get("expired")), place_id=parse_id_param(p.get("place"), "place"),
        )


class LicenceDetailView(APIView):
    @extend_schema(responses=s.LicenceSerializer)
    def get(self, request, pk):
        return Response(s.LicenceSerializer(selectors.licence_get_for_user(user=request.user, id=pk), context={"request": request}).data)


class ZoneListView(generics.ListAPIView):
    serializer_class = s.FrontageZoneSerializer

    @extend_schema(parameters=[OpenApiParameter("place", int)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return FrontageZone.objects.none()
        return selectors.zone_list_for_user(user=self.request.user, place_id=parse_id_param(self.request.query_params.get("place"), "place"))


class ZoneDetailView(APIView):
    @extend_schema(responses=s.FrontageZoneSerializer)
    def get(self, request, pk):
        return Response(s.FrontageZoneSerializer(selectors.zone_get_for_user(user=request.user, id=pk), context={"request": request}).data)


class ZoneAssessmentView(generics.ListAPIView):
    """门前三包 考核 of one zone: its assessments, newest month first; POST records a month's assessment."""

    serializer_class = s.FrontageAssessmentSerializer
    queryset = FrontageAssessment.objects.none()  # for the schema; requests read through the selector

    def get_queryset(self):
        zone = selectors.zone_get_for_user(user=self.request.user, id=self.kwargs["pk"])
        return selectors.assessment_list_for_user(user=self.request.user, zone_id=zone.pk)

    @extend_schema(request=s.FrontageAssessSerializer, responses={201: s.FrontageAssessmentSerializer})
    def post(self, request, pk):
        zone = selectors.zone_get_for_user(user=request.user, id=pk)
        serializer = s.FrontageAssessSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        assessment = services.frontage_assess(user=request.user, zone=zone, **serializer.validated_data)
        return Response(s.FrontageAssessmentSerializer(assessment).data, status=status.HTTP_201_CREATED)


class KeyPointListView(generics.ListAPIView):
    serializer_class = s.KeyPointSerializer

    @extend_schema(parameters=[OpenApiParameter("active", bool)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return KeyPoint.objects.none()
        return selectors.key_point_list_for_user(user=self.request.user, active_only=bool(_flag(self.request.query_params.get("active"))))


class KeyPointDetailView(APIView):
    @extend_schema(responses=s.KeyPointSerializer)
    def get(self, request, pk):
        return Response(s.KeyPointSerializer(selectors.key_point_get_for_user(user=request.user, id=pk), context={"request": request}).data)


class PlaceLedgerView(APIView):
    """Licences, zones, key points and corrections of one place in the caller's jurisdiction."""

    @extend_schema(responses=s.PlaceLedgerSerializer)
    def get(self, request, pk):
        ledger = selectors.ledger_for_place(user=request.user, place=place_get_for_user(user=request.user, id=pk))
        return Response(s.PlaceLedgerSerializer(ledger, context={"request": request}).data)


class ImportView(APIView):
    """Upload a CSV or XLSX file (ledger managers); the answer is the import report."""

    parser_classes = [MultiPartParser, BoundedFormParser]

    @extend_schema(request={"multipart/form-data": s.ImportRequestSerializer}, responses=s.ImportReportSerializer)
    def post(self, request):
        serializer = s.ImportRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        report = services.ledger_import(user=request.user, kind=data["kind"], file=data["file"], department=data["department"])
        return Response(report.as_dict(), status=status.HTTP_201_CREATED if report.batch and report.same_file_as is None else status.HTTP_200_OK)


class FindingListView(generics.ListAPIView):
    serializer_class = s.FindingSerializer

    @extend_schema(parameters=[OpenApiParameter("status", str), OpenApiParameter("rule", str), OpenApiParameter("department", str)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Finding.objects.none()
        p = self.request.query_params
        return selectors.finding_list_for_user(user=self.request.user, status=p.get("status") or None, rule=p.get("rule") or None,
                                               department=p.get("department") or None)


class ComparisonView(APIView):
    """Run the comparison over the caller's jurisdiction (or one region in it)."""

    @extend_schema(request=s.ComparisonRequestSerializer, responses={201: s.ComparisonRunSerializer})
    def post(self, request):
        serializer = s.ComparisonRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        run = services.comparison_run(user=request.user, region_code=serializer.validated_data.get("region_code"))
        return Response(s.ComparisonRunSerializer(run).data, status=status.HTTP_201_CREATED)


class SendBackView(APIView):
    """Export chosen findings for their department and record the send-back."""

    @extend_schema(request=s.SendBackRequestSerializer, responses={201: s.SendBackSerializer})
    def post(self, request):
        serializer = s.SendBackRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        findings = list(selectors.finding_list_for_user(user=request.user).filter(pk__in=data["findings"]))
        if len(findings) != len(set(data["findings"])):
            raise NotFound()
        send_back = services.finding_send_back(user=request.user, findings=findings, department=data["department"], fmt=data["fmt"])
        return Response(s.SendBackSerializer(send_back).data, status=status.HTTP_201_CREATED)


class SendBackListView(generics.ListAPIView):
    serializer_class = s.SendBackSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return SendBack.objects.none()
        return selectors.send_back_list_for_user(user=self.request.user).prefetch_related("findings")


class SendBackFileView(APIView):
    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    def get(self, request, pk):
        send_back = selectors.send_back_get_for_user(user=request.user, id=pk)
        response = HttpResponse(bytes(send_back.content), content_type="application/octet-stream")
        response["Content-Disposition"] = f'attachment; filename="{send_back.file_name}"'
        return response


class CorrectionListCreateView(generics.ListAPIView):
    """Staff see corrections in their jurisdiction, others their own; staff report on records of their jurisdiction,
    a merchant on its own business's records (anything else is 404)."""

    serializer_class = s.CorrectionSerializer

    @extend_schema(parameters=[OpenApiParameter("status", str)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Correction.objects.none()
        return selectors.correction_list_for_user(user=self.request.user, status=self.request.query_params.get("status") or None)

    @extend_schema(request=s.CorrectionCreateSerializer, responses={201: s.CorrectionSerializer})
    def post(self, request):
        serializer = s.CorrectionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        correction = services.correction_report(
            user=request.user, target=selectors.correction_target_get_for_user(user=request.user, target_type=data["target_type"], id=data["target_id"]),
            field=data["field"],
            proposed_value=data["proposed_value"], reason=data["reason"],
        )
        return Response(s.CorrectionSerializer(correction, context={"request": request}).data, status=status.HTTP_201_CREATED)


class CorrectionReviewView(APIView):
    @extend_schema(request=s.CorrectionReviewSerializer, responses=s.CorrectionSerializer)
    def post(self, request, pk):
        correction = selectors.correction_get_for_user(user=request.user, id=pk)
        serializer = s.CorrectionReviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        correction = services.correction_review(user=request.user, correction=correction, accept=serializer.validated_data["accept"],
                                                note=serializer.validated_data["note"])
        return Response(s.CorrectionSerializer(correction, context={"request": request}).data)
