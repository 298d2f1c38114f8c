"""Serializers of the inspection API: draws (public-safe result), records with answers, findings, self-checks, plans."""
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.accounts.models import User
from apps.gbcp.api.fields import PointField
from apps.gbcp.api.parsers import loads as json_loads
from apps.gbcp.api.params import parse_lat_lon
from apps.gbcp.models import Grid, Place
from apps.gbcp.selectors import grid_list_for_user, place_list_for_user
from apps.inspection import selectors
from apps.inspection.models import (
    Assignment,
    Checklist,
    ChecklistItem,
    Draw,
    Finding,
    InspectionRecord,
    Outcome,
    PatrolPlan,
    SelfCheck,
)


def _viewer(serializer):
    """The requesting user (``None`` without a request, e.g. for the schema): every pk an input names
    resolves among what this user may see, so "not yours" is refused exactly like "not there"."""
    return getattr(serializer.context.get("request"), "user", None)


class ChecklistItemSerializer(serializers.ModelSerializer):
    category = serializers.CharField(source="category.code", default=None, allow_null=True, read_only=True)

    class Meta:
        model = ChecklistItem
        fields = ["id", "order", "text", "legal_basis", "cause_code", "category"]


class ChecklistSerializer(serializers.ModelSerializer):
    items = ChecklistItemSerializer(many=True, read_only=True)
    # A plain string: the place-kind choices already have their enum in the GBCP schema.
    place_kind = serializers.CharField(read_only=True)

    class Meta:
        model = Checklist
        fields = ["id", "name", "place_kind", "items"]


class AnswerInSerializer(serializers.Serializer):
    item = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


@extend_schema_field(AnswerInSerializer(many=True))
class AnswersField(serializers.Field):
    """A list of answers, or (in multipart) the same list as a JSON string."""

    def to_internal_value(self, data):
        if isinstance(data, str):
            try:
                data = json_loads(data)  # bounded nesting (apps.gbcp.api.parsers)
            except ValueError:
                raise serializers.ValidationError(_("Give the answers as a JSON list."))
        if not isinstance(data, list) or not data:
            raise serializers.ValidationError(_("Give the answers as a list."))
        inner = AnswerInSerializer(data=data, many=True)
        inner.is_valid(raise_exception=True)
        return inner.validated_data

    def to_representation(self, value):
        return value


class _AnswerOutSerializer(serializers.Serializer):
    item = serializers.IntegerField(source="item_id")
    text = serializers.CharField(source="item.text")
    outcome = serializers.CharField()
    note = serializers.CharField()


class InspectionFindingSerializer(serializers.ModelSerializer):
    item = serializers.CharField(source="item.text", read_only=True)
    cause_code = serializers.CharField(source="item.cause_code", read_only=True)
    task = serializers.CharField(source="task.number", default=None, allow_null=True, read_only=True)

    class Meta:
        model = Finding
        fields = ["id", "record", "place", "item", "cause_code", "note", "task", "case_id", "case_number", "created_at"]


class RecordListSerializer(serializers.ModelSerializer):
    place_name = serializers.CharField(source="place.name", read_only=True)
    officer = serializers.StringRelatedField(read_only=True, allow_null=True)
    co_officer = serializers.StringRelatedField(read_only=True, allow_null=True)
    point = PointField(read_only=True)

    class Meta:
        model = InspectionRecord
        fields = ["id", "place", "place_name", "region_code", "officer", "co_officer", "point", "inspected_at", "identified_by",
                  "uscc", "uscc_source", "uscc_mismatch", "passed", "note", "draw"]


class RecordDetailSerializer(RecordListSerializer):
    answers = _AnswerOutSerializer(many=True, read_only=True)
    findings = InspectionFindingSerializer(many=True, read_only=True)

    class Meta(RecordListSerializer.Meta):
        fields = RecordListSerializer.Meta.fields + ["ledger_uscc", "answers", "findings"]


class RecordCreateSerializer(serializers.Serializer):
    """The place by one of: city_code, qr_photo, ledger_id (the place's id in the ledger) or lat/lon (nearest place)."""

    city_code = serializers.CharField(max_length=32, required=False, allow_blank=True)
    qr_photo = serializers.ImageField(required=False)
    ledger_id = serializers.IntegerField(required=False, min_value=1)
    lat = serializers.FloatField(required=False)
    lon = serializers.FloatField(required=False)
    crs = serializers.ChoiceField(choices=["wgs84", "gcj02"], default="wgs84")
    co_officer = serializers.PrimaryKeyRelatedField(queryset=User.objects.none(), required=False, allow_null=True)
    inspected_at = serializers.DateTimeField(required=False)
    answers = AnswersField()
    photos = serializers.ListField(child=serializers.ImageField(), required=False, max_length=9, help_text="multipart: repeat the field per photo")
    licence_photo = serializers.ImageField(required=False, help_text="photo of the business licence; its QR code is read for the USCC")
    uscc = serializers.CharField(max_length=18, required=False, allow_blank=True, help_text="typed when the licence has no readable QR code")
    note = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    use_point_to_identify = serializers.BooleanField(default=False, help_text="identify the place as the nearest one to lat/lon")
    draw = serializers.PrimaryKeyRelatedField(queryset=Draw.objects.none(), required=False, allow_null=True,
                                              help_text="the published double-random draw this inspection carries out")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = _viewer(self)
        self.fields["co_officer"].queryset = selectors.co_officer_list_for_user(user=user)
        self.fields["draw"].queryset = selectors.draw_list_to_carry_out(user=user)

    def validate(self, attrs):
        if (attrs.get("lat") is None) != (attrs.get("lon") is None):
            raise serializers.ValidationError({"lat": _("Give both lat and lon.")})
        attrs["point"] = parse_lat_lon(attrs["lat"], attrs["lon"], attrs["crs"]) if attrs.get("lat") is not None else None
        if not (attrs.get("city_code") or attrs.get("qr_photo") or attrs.get("ledger_id") or (attrs["point"] and attrs["use_point_to_identify"])):
            raise serializers.ValidationError({"place": _("Identify the place: city code, QR photo, ledger id or point.")})
        return attrs


class SelfCheckCreateSerializer(serializers.Serializer):
    place = serializers.PrimaryKeyRelatedField(queryset=Place.objects.none())
    answers = AnswersField()
    note = serializers.CharField(max_length=4000, required=False, allow_blank=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = place_list_for_user(user=_viewer(self))


class SelfCheckSerializer(serializers.ModelSerializer):
    place_name = serializers.CharField(source="place.name", read_only=True)
    answers = serializers.SerializerMethodField()

    class Meta:
        model = SelfCheck
        fields = ["id", "place", "place_name", "entity", "submitted_at", "passed", "note", "answers"]

    def get_answers(self, obj) -> list[dict]:
        return [{"item": a.item_id, "text": a.item.text, "outcome": a.outcome, "note": a.note} for a in obj.answers.all()]


class DrawCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=128, required=False, allow_blank=True)
    region_code = serializers.RegexField(r"^\d{4,12}$")
    place_kinds = serializers.ListField(child=serializers.CharField(max_length=32), min_length=1, help_text="place kinds as in the GBCP place schema")
    place_count = serializers.IntegerField(min_value=1, max_value=500)


class DrawSerializer(serializers.ModelSerializer):
    """Staff view of a draw: its inputs and result (inspector ids and badge codes)."""

    class Meta:
        model = Draw
        fields = ["id", "title", "region_code", "place_kinds", "place_count", "seed_hex", "algorithm", "inputs_sha256",
                  "candidates", "pool", "conflicts", "result", "created_at", "is_published", "published_at"]


class ReplaySerializer(serializers.Serializer):
    match = serializers.BooleanField()
    differences = serializers.ListField(child=serializers.DictField(), required=False)


class PlanSerializer(serializers.ModelSerializer):
    n_open = serializers.IntegerField(read_only=True, default=None, allow_null=True)
    n_overdue = serializers.IntegerField(read_only=True, default=None, allow_null=True)
    n_done = serializers.IntegerField(read_only=True, default=None, allow_null=True)

    class Meta:
        model = PatrolPlan
        fields = ["id", "name", "origin", "region_code", "grid", "place_kinds", "interval_days", "starts_on", "ends_on", "squad",
                  "created_at", "n_open", "n_overdue", "n_done"]
        read_only_fields = ["origin", "grid", "created_at"]


class PlanCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=128)
    region_code = serializers.RegexField(r"^\d{4,12}$")
    place_kinds = serializers.ListField(child=serializers.CharField(max_length=32), min_length=1, help_text="place kinds as in the GBCP place schema")
    interval_days = serializers.IntegerField(min_value=1, max_value=366)
    starts_on = serializers.DateField(required=False)
    ends_on = serializers.DateField(required=False, allow_null=True)


class PatrolStartSerializer(serializers.Serializer):
    grid = serializers.PrimaryKeyRelatedField(queryset=Grid.objects.none(), required=False, allow_null=True)
    place_kinds = serializers.ListField(child=serializers.CharField(max_length=32), required=False)
    interval_days = serializers.IntegerField(min_value=1, max_value=366, default=7)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = grid_list_for_user(user=_viewer(self))


class GenerateSerializer(serializers.Serializer):
    until = serializers.DateField()


class GenerateResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()


class AssignmentSerializer(serializers.ModelSerializer):
    place_name = serializers.CharField(source="place.name", read_only=True)
    city_code = serializers.CharField(source="place.city_code", read_only=True)
    point = PointField(source="place.point", read_only=True)
    plan_name = serializers.CharField(source="plan.name", read_only=True)
    status = serializers.CharField(read_only=True, help_text="open, done or overdue")

    class Meta:
        model = Assignment
        fields = ["id", "plan", "plan_name", "place", "place_name", "city_code", "point", "due_on", "status", "record"]

