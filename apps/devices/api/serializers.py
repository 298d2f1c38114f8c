"""Serializers of the devices staff API; never the token hash, plates masked by clearance."""
from rest_framework import serializers

from apps.devices.models import Alarm, Device
from apps.gbcp.api.fields import MaskedField, PointField
from apps.gbcp.api.serializers import GridRefSerializer, OrganizationRefSerializer, RegionRefSerializer


class DeviceStatusSerializer(serializers.Serializer):
    last_seen_at = serializers.DateTimeField(allow_null=True)
    position_at = serializers.DateTimeField(allow_null=True)
    point = PointField(allow_null=True)
    speed_kmh = serializers.FloatField(allow_null=True)
    battery = serializers.FloatField(allow_null=True)
    noise_at = serializers.DateTimeField(allow_null=True)
    laeq = serializers.FloatField(allow_null=True)
    window_leq = serializers.FloatField(allow_null=True)


class DeviceSerializer(serializers.ModelSerializer):
    region = RegionRefSerializer(read_only=True, allow_null=True)
    organization = OrganizationRefSerializer(read_only=True, allow_null=True)
    grid = GridRefSerializer(read_only=True, allow_null=True)
    officer = serializers.SerializerMethodField()
    place = serializers.SerializerMethodField()
    vehicle_plate = MaskedField("plate")
    status = DeviceStatusSerializer(read_only=True)
    token_revoked = serializers.SerializerMethodField()

    class Meta:
        model = Device
        fields = [
            "id", "code", "name", "kind", "region", "organization", "officer", "vehicle_plate", "place", "grid", "noise_zone",
            "limit_day_db", "limit_night_db", "report_interval_s", "offline_after_s", "is_active", "token_revoked", "status",
        ]

    def get_officer(self, obj) -> dict | None:
        return {"id": obj.officer_id, "name": str(obj.officer)} if obj.officer_id else None

    def get_place(self, obj) -> dict | None:
        return {"id": obj.place_id, "name": obj.place.name, "city_code": obj.place.city_code} if obj.place_id else None

    def get_token_revoked(self, obj) -> bool:
        return obj.revoked_at is not None


class AlarmSerializer(serializers.ModelSerializer):
    device = serializers.SerializerMethodField()
    region = RegionRefSerializer(read_only=True, allow_null=True)
    point = PointField(allow_null=True, read_only=True)

    class Meta:
        model = Alarm
        fields = [
            "id", "kind", "state", "severity", "message", "details", "device", "region", "point", "started_at", "raised_at",
            "last_seen_at", "acknowledged_at", "cleared_at", "clear_reason", "task_id",
        ]

    def get_device(self, obj) -> dict:
        return {"id": obj.device_id, "code": obj.device.code, "name": obj.device.name, "kind": obj.device.kind}


class AlarmClearSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=255)
