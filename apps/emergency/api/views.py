"""Emergency API (应急调度): active incidents, one incident, CAP upload, one-key activation. Another jurisdiction's plan,
warning or incident answers 404 like one that does not exist; callers without the role get 403."""
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.emergency import cap, selectors, services
from apps.emergency.api import serializers as s


class ActiveIncidentListView(generics.ListAPIView):
    """The active incidents in the caller's jurisdiction with their timeline."""

    serializer_class = s.IncidentSerializer

    def get_queryset(self):
        return selectors.active_incidents(user=self.request.user)


class IncidentDetailView(generics.RetrieveAPIView):
    serializer_class = s.IncidentSerializer

    def get_object(self):
        return selectors.incident_get_for_user(user=self.request.user, id=self.kwargs["pk"])


class AlertUploadView(APIView):
    """Upload one CAP 1.2 document by hand; 201 when new, 200 when (sender, identifier) is already known."""

    @extend_schema(request=s.AlertUploadSerializer, responses={200: s.AlertSerializer, 201: s.AlertSerializer})
    def post(self, request):
        body = s.AlertUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            alert, created = services.alert_receive(user=request.user, data=body.validated_data["document"])
        except cap.CapError as exc:
            raise ValidationError({"document": [str(exc)]}) from None
        return Response(s.AlertSerializer(alert).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class PlanActivateView(APIView):
    """一键启动: open an incident with this pre-plan (optionally for a matched warning)."""

    @extend_schema(request=s.ActivateSerializer, responses={201: s.IncidentSerializer})
    def post(self, request, pk):
        plan = selectors.plan_get_for_user(user=request.user, id=pk)
        body = s.ActivateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        alert = None
        if body.validated_data.get("alert"):
            alert = selectors.alert_get_for_user(user=request.user, id=body.validated_data["alert"])
        incident = services.incident_activate(user=request.user, plan=plan, alert=alert)
        return Response(s.IncidentSerializer(incident).data, status=status.HTTP_201_CREATED)
