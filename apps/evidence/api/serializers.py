"""Serializers of the evidence API: upload, metadata, proofs and tree heads."""
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.evidence.models import Evidence
from apps.gbcp.api.fields import PointField
from apps.gbcp.api.params import parse_lat_lon


# Plain strings in the schema: an enum named "kind" would collide with other apps' "kind" enums.
# A subclass, so that DRF's own ChoiceField (every other choice in the schema) keeps its enum.
@extend_schema_field({"type": "string", "description": "photo, video or document"})
class KindField(serializers.ChoiceField):
    pass


class EvidenceUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="multipart: the evidence file (JPEG/PNG/WebP photo, MP4/MOV/WebM video, PDF)")
    subject_type = serializers.CharField(max_length=64, help_text="e.g. dispatch.task, cases.case, inspection.inspectionrecord")
    subject_id = serializers.CharField(max_length=64)
    kind = KindField(choices=Evidence.Kind.choices, required=False, help_text="photo, video or document; checked against the content")
    captured_at = serializers.DateTimeField(required=False, allow_null=True)
    lat = serializers.FloatField(required=False, allow_null=True)
    lon = serializers.FloatField(required=False, allow_null=True)
    coord = serializers.ChoiceField(choices=[("wgs84", "WGS-84"), ("gcj02", "GCJ-02")], default="wgs84", help_text="coordinate system of lat/lon")
    device = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")

    def validate(self, attrs):
        lat, lon = attrs.pop("lat", None), attrs.pop("lon", None)
        if (lat is None) != (lon is None):
            raise serializers.ValidationError({"lat": [_("Give both lat and lon, or neither.")]})
        attrs["point"] = parse_lat_lon(lat, lon, attrs.pop("coord", "wgs84")) if lat is not None else None
        attrs.pop("coord", None)
        return attrs


class EvidenceSerializer(serializers.ModelSerializer):
    point = PointField(read_only=True, allow_null=True)
    kind = KindField(choices=Evidence.Kind.choices, read_only=True)
    subject_type = serializers.SerializerMethodField()
    uploaded_by = serializers.StringRelatedField(read_only=True, allow_null=True)
    leaf_index = serializers.IntegerField(source="log_entry.index", read_only=True)

    class Meta:
        model = Evidence
        fields = ["id", "kind", "media_type", "original_name", "sha256", "size", "subject_type", "subject_id", "region_code",
                  "captured_at", "point", "device", "note", "uploaded_by", "recorded_at", "leaf_index"]

    def get_subject_type(self, obj) -> str:
        return f"{obj.subject_type.app_label}.{obj.subject_type.model}" if obj.subject_type_id else ""


class TreeHeadSerializer(serializers.Serializer):
    tree_size = serializers.IntegerField()
    root_hash = serializers.CharField(help_text="hex SHA-256")
    timestamp = serializers.IntegerField(help_text="milliseconds since 1970-01-01 UTC")
    signature = serializers.CharField(help_text="base64 Ed25519 signature of the signed message (docs/EVIDENCE.md)")
    key_id = serializers.CharField(help_text="hex SHA-256 of the DER public key")


class ProofSerializer(serializers.Serializer):
    entry = serializers.CharField(help_text="base64 of the canonical entry bytes")
    leaf_index = serializers.IntegerField()
    leaf_hash = serializers.CharField()
    audit_path = serializers.ListField(child=serializers.CharField())
    tree_head = TreeHeadSerializer()


class PublicKeySerializer(serializers.Serializer):
    key_id = serializers.CharField()
    algorithm = serializers.CharField()
    public_key_pem = serializers.CharField()


class PublishedKeySerializer(PublicKeySerializer):
    status = serializers.ChoiceField(choices=["active", "retired"])
    valid_from = serializers.DateTimeField(allow_null=True)
    valid_until = serializers.DateTimeField(allow_null=True)


class ConsistencySerializer(serializers.Serializer):
    first = serializers.IntegerField()
    second = serializers.IntegerField()
    first_root = serializers.CharField()
    second_root = serializers.CharField()
    proof = serializers.ListField(child=serializers.CharField())
    first_tree_head = TreeHeadSerializer(allow_null=True)
    second_tree_head = TreeHeadSerializer(allow_null=True)


class ConsistencyQuerySerializer(serializers.Serializer):
    first = serializers.IntegerField(min_value=0)
    second = serializers.IntegerField(min_value=0)
