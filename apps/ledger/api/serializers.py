"""Serializers of the ledger API; personal data masked by the caller's clearance."""
import json

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.gbcp.api.fields import MaskedField
from apps.gbcp.masking import clearance_for, mask
from apps.gbcp.privacy import note_unmasked
from apps.ledger.forms import MAX_UPLOAD_BYTES
from apps.ledger.imports import COLUMNS
from apps.ledger.models import Correction, Finding, FrontageAssessment, FrontageZone, KeyPoint, Licence, SendBack
from apps.ledger.selectors import correction_mask_kind


@extend_schema_field(OpenApiTypes.OBJECT)
class GeoJSONField(serializers.Field):
    def to_representation(self, value):
        return json.loads(value.geojson) if value is not None else None


class LineageSerializer(serializers.Serializer):
    source_department = serializers.CharField(read_only=True)
    source_file = serializers.CharField(source="source_batch.file_name", default=None, allow_null=True, read_only=True)
    source_batch = serializers.IntegerField(source="source_batch_id", read_only=True)
    source_row = serializers.IntegerField(read_only=True)


class _Ref(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class LicenceSerializer(serializers.ModelSerializer):
    kind = serializers.SerializerMethodField()
    holder = serializers.SerializerMethodField()
    place = serializers.SerializerMethodField()
    issuing_department = serializers.CharField(source="department_name", read_only=True)
    # Plain strings: named enums of "status" would collide with other apps' in the schema.
    status = serializers.CharField(read_only=True, help_text="active, suspended, revoked or expired")
    effective_status = serializers.CharField(read_only=True)
    lineage = LineageSerializer(source="*", read_only=True)

    class Meta:
        model = Licence
        fields = ["id", "kind", "number", "holder", "place", "issuing_department", "valid_from", "valid_to", "status",
                  "effective_status", "region_code", "lineage"]

    def get_kind(self, obj) -> dict:
        return {"code": obj.kind.code, "name": obj.kind.name}

    def get_holder(self, obj) -> dict | None:
        return {"id": obj.holder_id, "name": obj.holder.name, "uscc": obj.holder.uscc} if obj.holder_id else None

    def get_place(self, obj) -> dict | None:
        return {"id": obj.place_id, "name": obj.place.name, "city_code": obj.place.city_code} if obj.place_id else None


class FrontageZoneSerializer(serializers.ModelSerializer):
    place = serializers.SerializerMethodField()
    zone = GeoJSONField(read_only=True)
    responsible_name = MaskedField("name")
    responsible_phone = MaskedField("phone")
    responsible_entity = serializers.CharField(source="responsible_entity.name", default=None, allow_null=True, read_only=True)
    lineage = LineageSerializer(source="*", read_only=True)

    class Meta:
        model = FrontageZone
        fields = ["id", "code", "place", "zone", "duties", "responsible_name", "responsible_phone", "responsible_entity",
                  "region_code", "is_active", "lineage"]

    def get_place(self, obj) -> dict:
        return {"id": obj.place_id, "name": obj.place.name, "city_code": obj.place.city_code}


class KeyPointSerializer(serializers.ModelSerializer):
    place = serializers.SerializerMethodField()
    area = GeoJSONField(read_only=True)
    lineage = LineageSerializer(source="*", read_only=True)

    class Meta:
        model = KeyPoint
        fields = ["id", "code", "name", "place", "area", "reason", "interval_days", "active_from", "active_to", "region_code", "lineage"]

    def get_place(self, obj) -> dict | None:
        return {"id": obj.place_id, "name": obj.place.name, "city_code": obj.place.city_code} if obj.place_id else None


class FindingSerializer(serializers.ModelSerializer):
    rule_display = serializers.CharField(source="get_rule_display", read_only=True)
    place = serializers.CharField(source="place.city_code", default=None, allow_null=True, read_only=True)
    licence = serializers.CharField(source="licence.number", default=None, read_only=True, allow_null=True)
    status = serializers.CharField(read_only=True, help_text="open, sent_back or resolved")

    class Meta:
        model = Finding
        fields = ["id", "rule", "rule_display", "detail", "department", "place", "licence", "region_code", "status", "created_at", "resolved_at"]


class SendBackSerializer(serializers.ModelSerializer):
    sent_by = serializers.StringRelatedField(read_only=True, allow_null=True)
    findings = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = SendBack
        fields = ["id", "kind", "department", "sent_at", "sent_by", "file_name", "file_sha256", "findings"]


class SendBackRequestSerializer(serializers.Serializer):
    findings = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=2**63 - 1), min_length=1, max_length=1000)
    department = serializers.CharField(max_length=128)
    fmt = serializers.ChoiceField(choices=["csv", "xlsx"], default="csv")


class ComparisonRequestSerializer(serializers.Serializer):
    region_code = serializers.RegexField(r"^\d{6,12}$", required=False)


class ComparisonRunSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    started_at = serializers.DateTimeField()
    region_code = serializers.CharField()
    findings_new = serializers.IntegerField()
    findings_open = serializers.IntegerField()
    findings_resolved = serializers.IntegerField()


TARGET_TYPES = {"licence": "licence", "zone": "frontagezone", "key_point": "keypoint", "place": "place"}


class CorrectionSerializer(serializers.ModelSerializer):
    """The current value is masked by the viewer's clearance (a correction must not read out a phone number);
    so is the proposed value, except for the one who proposed it."""

    target_type = serializers.SerializerMethodField()
    current_value = serializers.SerializerMethodField()
    proposed_value = serializers.SerializerMethodField()
    reported_by = serializers.StringRelatedField(read_only=True, allow_null=True)
    reviewed_by = serializers.StringRelatedField(read_only=True, allow_null=True)
    status = serializers.CharField(read_only=True, help_text="pending, accepted or rejected")

    class Meta:
        model = Correction
        fields = ["id", "target_type", "target_id", "field", "current_value", "proposed_value", "reason", "reported_by",
                  "reported_at", "status", "reviewed_by", "reviewed_at", "review_note"]

    def get_target_type(self, obj) -> str:
        reverse = {v: k for k, v in TARGET_TYPES.items()}
        return reverse.get(obj.target_type.model, obj.target_type.model)

    def _viewer(self):
        return getattr(self.context.get("request"), "user", None)

    def _masked(self, obj, value):
        kind = correction_mask_kind(model_name=obj.target_type.model, field=obj.field)
        if not kind:
            return value
        shown = mask(kind, value, clearance_for(self._viewer()))
        note_unmasked(user=self._viewer(), value=shown, what=obj.field, subject=obj)  # full clearance: on the access log
        return shown

    def get_current_value(self, obj) -> str:
        return self._masked(obj, obj.current_value)

    def get_proposed_value(self, obj) -> str:
        viewer = self._viewer()
        if viewer is not None and getattr(viewer, "pk", None) == obj.reported_by_id:
            return obj.proposed_value
        return self._masked(obj, obj.proposed_value)


class CorrectionCreateSerializer(serializers.Serializer):
    target_type = serializers.ChoiceField(choices=sorted(TARGET_TYPES))
    target_id = serializers.IntegerField(min_value=1)
    field = serializers.CharField(max_length=64)
    proposed_value = serializers.CharField(max_length=255)
    reason = serializers.CharField(max_length=2000)


class CorrectionReviewSerializer(serializers.Serializer):
    accept = serializers.BooleanField()
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ImportRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=sorted(COLUMNS))
    department = serializers.CharField(max_length=128)
    file = serializers.FileField()

    def validate_file(self, upload):
        if upload.size > MAX_UPLOAD_BYTES:
            raise serializers.ValidationError(_("The file is larger than 20 MB."))
        return upload


class RowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    code = serializers.CharField()
    message = serializers.CharField()


class ImportReportSerializer(serializers.Serializer):
    kind = serializers.CharField()
    file_name = serializers.CharField()
    sha256 = serializers.CharField()
    batch = serializers.IntegerField(allow_null=True)
    same_file_as = serializers.IntegerField(allow_null=True)
    total = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    failed = serializers.IntegerField()
    errors = RowErrorSerializer(many=True)


class PlaceLedgerSerializer(serializers.Serializer):
    licences = LicenceSerializer(many=True)
    zones = FrontageZoneSerializer(many=True)
    key_points = KeyPointSerializer(many=True)
    corrections = CorrectionSerializer(many=True)


class FrontageAssessmentSerializer(serializers.ModelSerializer):
    zone = serializers.CharField(source="zone.code", read_only=True)
    period = serializers.DateField(format="%Y-%m", read_only=True)
    grade_display = serializers.CharField(source="get_grade_display", read_only=True)
    failed_duties = serializers.ListField(child=serializers.CharField(), read_only=True)
    assessor = serializers.CharField(source="assessor.get_full_name", default=None, allow_null=True, read_only=True)

    class Meta:
        model = FrontageAssessment
        fields = ["id", "zone", "period", "assessed_on", "results", "grade", "grade_display", "failed_duties", "note", "assessor", "created_at"]


class FrontageAssessSerializer(serializers.Serializer):
    period = serializers.RegexField(r"^\d{4}-(0[1-9]|1[0-2])$", help_text="YYYY-MM")
    results = serializers.DictField(child=serializers.ChoiceField(choices=FrontageAssessment.Outcome.choices),
                                    help_text="duty → passed/failed, for every duty of the zone")
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
