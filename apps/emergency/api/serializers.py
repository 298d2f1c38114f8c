"""Serializers of the emergency API."""
from rest_framework import serializers

from apps.emergency.models import Alert, Incident, IncidentEntry


class IncidentEntrySerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    actor = serializers.CharField(source="actor.get_full_name", default="", read_only=True)

    class Meta:
        model = IncidentEntry
        fields = ["id", "kind", "kind_display", "text", "actor", "at"]


class IncidentSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    region = serializers.CharField(source="region.name", read_only=True)
    entries = IncidentEntrySerializer(many=True, read_only=True)

    class Meta:
        model = Incident
        fields = ["id", "title", "status", "status_display", "region", "plan", "alert", "opened_at", "closed_at", "report", "entries"]


class AlertSerializer(serializers.ModelSerializer):
    class Meta:
        model = Alert
        fields = ["id", "sender", "identifier", "sent", "msg_type", "event", "event_type", "severity", "urgency", "headline",
                  "area_description", "is_cancelled"]


class AlertUploadSerializer(serializers.Serializer):
    document = serializers.CharField(max_length=512 * 1024, trim_whitespace=False)


class ActivateSerializer(serializers.Serializer):
    alert = serializers.IntegerField(required=False)
