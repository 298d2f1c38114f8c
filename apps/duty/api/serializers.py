"""Serializers of the duty API. Every key a client sends (a squad, a post, an officer, a grid) resolves among what the
caller may read, so one of another district answers exactly like one that does not exist (400)."""
import json

from django.contrib.gis.geos import GEOSException, GEOSGeometry, Point
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.accounts.models import User
from apps.duty import selectors
from apps.duty.models import Post, Roster, Shift, ShiftAssignment
from apps.duty.policy import may_edit
from apps.gbcp.models import Grid, Organization


def _caller(serializer):
    return getattr(serializer.context.get("request"), "user", None)


class PostSerializer(serializers.ModelSerializer):
    squad_name = serializers.CharField(source="squad.name", read_only=True)
    grid_name = serializers.CharField(source="grid.name", default=None, allow_null=True, read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    geometry = serializers.SerializerMethodField()

    class Meta:
        model = Post
        fields = ["id", "squad", "squad_name", "name", "kind", "kind_display", "grid", "grid_name", "radius_m", "hours_start", "hours_end",
                  "source", "note", "is_active", "geometry"]

    @extend_schema_field(serializers.DictField(allow_null=True))
    def get_geometry(self, post):
        shape = post.geometry()
        return json.loads(shape.geojson) if shape is not None else None


class PostCreateSerializer(serializers.Serializer):
    squad = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.none())
    name = serializers.CharField(max_length=100)
    kind = serializers.ChoiceField(choices=Post.Kind.choices)
    grid = serializers.PrimaryKeyRelatedField(queryset=Grid.objects.none(), required=False, allow_null=True)
    area = serializers.JSONField(required=False, allow_null=True, help_text="A GeoJSON Polygon (WGS-84).")
    lat = serializers.FloatField(required=False, allow_null=True, min_value=-90, max_value=90)
    lon = serializers.FloatField(required=False, allow_null=True, min_value=-180, max_value=180)
    radius_m = serializers.IntegerField(required=False, allow_null=True, min_value=10, max_value=5000)
    hours_start = serializers.TimeField(required=False, allow_null=True)
    hours_end = serializers.TimeField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = _caller(self)
        self.fields["squad"].queryset = selectors.squad_list_for_user(user=user)
        self.fields["grid"].queryset = Grid.objects.filter(squad__in=selectors.squad_list_for_user(user=user)).select_related("region")

    def validate_area(self, value):
        if value in (None, ""):
            return None
        try:
            shape = GEOSGeometry(json.dumps(value) if not isinstance(value, str) else value, srid=4326)
        except (GEOSException, ValueError, TypeError):
            raise serializers.ValidationError(_("Give a GeoJSON polygon."))
        if shape.geom_type != "Polygon":
            raise serializers.ValidationError(_("Give a GeoJSON polygon."))
        return shape

    def validate(self, attrs):
        if attrs.get("lat") is not None and attrs.get("lon") is not None:
            attrs["point"] = Point(attrs["lon"], attrs["lat"], srid=4326)
        return attrs


class ShiftAssignmentSerializer(serializers.ModelSerializer):
    officer_name = serializers.CharField(source="officer.__str__", read_only=True)
    post_name = serializers.CharField(source="post.name", default=None, allow_null=True, read_only=True)

    class Meta:
        model = ShiftAssignment
        fields = ["id", "officer", "officer_name", "post", "post_name"]


class ShiftSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    assignments = ShiftAssignmentSerializer(many=True, read_only=True)
    crosses_midnight = serializers.BooleanField(read_only=True)

    class Meta:
        model = Shift
        fields = ["id", "roster", "squad", "date", "start_time", "end_time", "crosses_midnight", "starts_at", "ends_at", "kind", "kind_display",
                  "post", "note", "assignments"]


class RosterSerializer(serializers.ModelSerializer):
    squad_name = serializers.CharField(source="squad.name", read_only=True)

    class Meta:
        model = Roster
        fields = ["id", "squad", "squad_name", "week_start", "created_at"]


class RosterDetailSerializer(RosterSerializer):
    shifts = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()

    class Meta(RosterSerializer.Meta):
        fields = [*RosterSerializer.Meta.fields, "shifts", "actions"]

    @extend_schema_field(ShiftSerializer(many=True))
    def get_shifts(self, roster):
        return ShiftSerializer(selectors.roster_shifts(roster=roster), many=True).data

    def get_actions(self, roster) -> list[str]:
        return ["edit", "copy_previous"] if may_edit(_caller(self), roster) else []


class RosterEnsureSerializer(serializers.Serializer):
    squad = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.none())
    week_start = serializers.DateField(help_text="Any day of the week; the roster starts on its Monday.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["squad"].queryset = selectors.squad_list_for_user(user=_caller(self))


class ShiftWriteSerializer(serializers.Serializer):
    date = serializers.DateField()
    start_time = serializers.TimeField()
    end_time = serializers.TimeField(help_text="Not after start_time: the shift ends the next day.")
    kind = serializers.ChoiceField(choices=Shift.Kind.choices, default=Shift.Kind.DAY)
    post = serializers.PrimaryKeyRelatedField(queryset=Post.objects.none(), required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = selectors.post_list_for_user(user=_caller(self))


class ShiftAssignmentCreateSerializer(serializers.Serializer):
    officer = serializers.PrimaryKeyRelatedField(queryset=User.objects.none())
    post = serializers.PrimaryKeyRelatedField(queryset=Post.objects.none(), required=False, allow_null=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = _caller(self)
        # Officers serving in a squad the caller reads; whether in *this* squad is the service's clear 400.
        self.fields["officer"].queryset = User.objects.filter(
            is_active=True, memberships__is_active=True, memberships__role__in=list(selectors.SQUAD_MEMBER_ROLES),
            memberships__organization__in=selectors.squad_list_for_user(user=user)).distinct()
        self.fields["post"].queryset = selectors.post_list_for_user(user=user)


class CopyReportSerializer(serializers.Serializer):
    shifts = serializers.IntegerField()
    assignments = serializers.IntegerField()
    skipped = serializers.ListField(child=serializers.CharField())


class MyShiftSerializer(serializers.ModelSerializer):
    """One of the caller's shifts (the mobile client's "my duty")."""

    squad = serializers.CharField(source="shift.squad.name", read_only=True)
    date = serializers.DateField(source="shift.date", read_only=True)
    starts_at = serializers.DateTimeField(source="shift.starts_at", read_only=True)
    ends_at = serializers.DateTimeField(source="shift.ends_at", read_only=True)
    kind = serializers.CharField(source="shift.kind", read_only=True)
    kind_display = serializers.CharField(source="shift.get_kind_display", read_only=True)
    post = PostSerializer(read_only=True, allow_null=True)

    class Meta:
        model = ShiftAssignment
        fields = ["id", "squad", "date", "starts_at", "ends_at", "kind", "kind_display", "post"]


class OnDutySerializer(serializers.ModelSerializer):
    officer_name = serializers.CharField(source="officer.__str__", read_only=True)
    squad = serializers.CharField(source="shift.squad.name", read_only=True)
    starts_at = serializers.DateTimeField(source="shift.starts_at", read_only=True)
    ends_at = serializers.DateTimeField(source="shift.ends_at", read_only=True)
    post_name = serializers.CharField(source="post.name", default=None, allow_null=True, read_only=True)

    class Meta:
        model = ShiftAssignment
        fields = ["id", "officer", "officer_name", "squad", "starts_at", "ends_at", "post", "post_name"]


class PeakCellSerializer(serializers.Serializer):
    grid = serializers.IntegerField(source="grid.pk")
    grid_name = serializers.CharField(source="grid.name")
    weekday = serializers.IntegerField(help_text="0 = Monday")
    hour = serializers.IntegerField()
    count = serializers.IntegerField()
    per_week = serializers.FloatField()
    expected = serializers.FloatField(help_text="The grid's mean per hour of the week over the window.")
    p_value = serializers.FloatField()
    q_value = serializers.FloatField(help_text="Benjamini–Hochberg adjusted p-value.")


class PeakAdoptSerializer(serializers.Serializer):
    squad = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.none())
    grid = serializers.PrimaryKeyRelatedField(queryset=Grid.objects.none())
    weekday = serializers.IntegerField(min_value=0, max_value=6)
    hour = serializers.IntegerField(min_value=0, max_value=23)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        squads = selectors.squad_list_for_user(user=_caller(self))
        self.fields["squad"].queryset = squads
        self.fields["grid"].queryset = Grid.objects.filter(squad__in=squads)


class CoverageCellSerializer(serializers.Serializer):
    hour = serializers.IntegerField()
    duty_hours = serializers.FloatField()
    intake = serializers.IntegerField()


class CoverageGridSerializer(serializers.Serializer):
    grid = serializers.IntegerField(source="grid.pk")
    grid_name = serializers.CharField(source="grid.name")
    duty_total = serializers.FloatField()
    intake_total = serializers.IntegerField()
    hours = serializers.SerializerMethodField()

    @extend_schema_field(CoverageCellSerializer(many=True))
    def get_hours(self, row):
        return [{"hour": h, "duty_hours": d, "intake": i} for h, d, i in row.cells()]
