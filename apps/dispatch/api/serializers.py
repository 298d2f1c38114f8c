"""Serializers of the task API for squads, officers and dispatchers; reporter data masked, and every key that
comes in resolves among what the caller may choose (else 400 "does not exist", as for a key that does not exist)."""
import datetime as dt

from drf_spectacular.utils import extend_schema_field
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import serializers

from apps.dispatch import overdue, selectors
from apps.dispatch.models import DuplicateCandidate, Open311Contact, Task, TaskLog, TaskPhoto, TaskRating, WhistleSummons
from apps.dispatch.policy import allowed_task_steps
from apps.gbcp.api.fields import MaskedField, PointField
from apps.gbcp.api.params import parse_lat_lon
from apps.gbcp.masking import Clearance, clearance_for
from apps.gbcp.models import Organization


class TaskListSerializer(serializers.ModelSerializer):
    point = PointField(read_only=True)
    category = serializers.SerializerMethodField()
    organization = serializers.CharField(source="organization.name", default=None, allow_null=True, read_only=True)
    alert = serializers.SerializerMethodField(
        help_text='"red": past the deadline, "yellow": four fifths of the time used, "": on time, closed or no deadline '
                  "(judged from the deadline at the time of the request)")

    class Meta:
        model = Task
        fields = ["id", "number", "source", "status", "alert", "priority", "category", "description", "address", "point",
                  "region_code", "organization", "received_at", "deadline", "duplicate_count"]

    def get_category(self, obj) -> dict | None:
        return {"code": obj.category.code, "name": obj.category.name} if obj.category_id else None

    def get_alert(self, obj) -> str:
        state = getattr(obj, "deadline_state", None)
        return overdue.state_of(obj) if state is None else state


class TaskPhotoSerializer(serializers.ModelSerializer):
    """A photo of the task, fetched through the task API (token or session) by whoever may see the task."""

    stage_label = serializers.CharField(source="get_stage_display", read_only=True)
    url = serializers.SerializerMethodField(help_text="the full photo")
    thumb_url = serializers.SerializerMethodField(help_text="a thumbnail (at most 320 pixels on its long side)")

    class Meta:
        model = TaskPhoto
        fields = ["id", "stage", "stage_label", "uploaded_at", "url", "thumb_url"]

    def get_url(self, obj) -> str:
        url = reverse("api-task-photo", kwargs={"pk": obj.task_id, "photo_pk": obj.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url

    def get_thumb_url(self, obj) -> str:
        return self.get_url(obj) + "?size=thumb"


class TaskLogSerializer(serializers.ModelSerializer):
    actor = serializers.StringRelatedField(read_only=True, allow_null=True)
    action_label = serializers.CharField(read_only=True, help_text="the step's name for people, in the request's language")

    class Meta:
        model = TaskLog
        fields = ["action", "action_label", "actor", "reason", "data", "at"]


class SuggestionSerializer(serializers.ModelSerializer):
    candidate = serializers.CharField(source="candidate.number", read_only=True)

    class Meta:
        model = DuplicateCandidate
        fields = ["id", "candidate", "score", "parts", "decision"]


class TaskRatingSerializer(serializers.ModelSerializer):
    """The reporter's rating; the comment is personal data: hidden from callers below staff clearance, like the reporter."""

    level_label = serializers.CharField(source="get_level_display", read_only=True)
    channel_label = serializers.CharField(source="get_channel_display", read_only=True)
    comment = serializers.SerializerMethodField()

    class Meta:
        model = TaskRating
        fields = ["level", "level_label", "comment", "channel", "channel_label", "rated_at"]

    def get_comment(self, obj) -> str:
        request = self.context.get("request")
        return obj.comment if clearance_for(getattr(request, "user", None)) >= Clearance.STAFF else ""


class Open311ContactSerializer(serializers.Serializer):
    """What an Open311 client sent of its user, masked by the caller's clearance (apps.gbcp.masking)."""

    email = MaskedField("email")
    first_name = MaskedField("name")
    last_name = MaskedField("name")
    phone = MaskedField("phone")
    address_string = MaskedField("address")
    address_id = serializers.CharField(read_only=True)
    device_id = MaskedField("opaque")
    account_id = MaskedField("opaque")
    media_url = serializers.CharField(read_only=True)


class TaskDetailSerializer(TaskListSerializer):
    reporter_name = MaskedField("name")
    reporter_phone = MaskedField("phone")
    logs = TaskLogSerializer(many=True, read_only=True)
    master = serializers.CharField(source="master.number", default=None, allow_null=True, read_only=True)
    suggestions = SuggestionSerializer(source="duplicate_candidates", many=True, read_only=True)
    photos = TaskPhotoSerializer(many=True, read_only=True, help_text="report photos, then feedback photos after handling")
    rating = serializers.SerializerMethodField(help_text="the reporter's rating once given; null while unrated (never counted as satisfied)")
    reopened_from = serializers.CharField(source="reopened_from.number", default=None, allow_null=True, read_only=True,
                                          help_text="number of the closed task this one redoes (重办)")
    reopenings = serializers.SerializerMethodField(help_text="numbers of the tasks that redo this one after a dissatisfied rating")
    open311_contact = serializers.SerializerMethodField(help_text="what an Open311 client sent of its user (masked); null for other sources")
    actions = serializers.SerializerMethodField(
        help_text="The steps the caller may do on the task now, named as in the task policy (set_category, dispatch, accept, "
                  "return, arrive, feedback, refer, escalate, defer, approve_deferral, approve_deferral_as_leader, write_off, "
                  "verify, keep_apart, merge) and blow (the whistle): show a button for each, and only these.")

    class Meta(TaskListSerializer.Meta):
        fields = TaskListSerializer.Meta.fields + [
            "reporter_name", "reporter_phone", "route_reason", "category_confidence", "category_method", "result", "solved",
            "satisfied", "dispatched_at", "accepted_at", "handled_at", "closed_at", "master", "logs", "suggestions", "actions",
            "rating", "reopened_from", "reopenings",
            "photos", "open311_contact",
        ]

    @extend_schema_field(Open311ContactSerializer(allow_null=True))
    def get_open311_contact(self, obj):
        try:
            contact = obj.open311_contact
        except Open311Contact.DoesNotExist:
            return None
        return Open311ContactSerializer(contact, context=self.context).data

    @extend_schema_field(TaskRatingSerializer(allow_null=True))
    def get_rating(self, obj):
        try:
            rating = obj.rating
        except TaskRating.DoesNotExist:
            return None
        return TaskRatingSerializer(rating, context=self.context).data

    def get_reopenings(self, obj) -> list[str]:
        return [t.number for t in obj.reopenings.all()]

    def get_actions(self, obj) -> list[str]:
        request = self.context.get("request")
        return allowed_task_steps(request.user if request is not None else None, obj)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, allow_blank=False, trim_whitespace=True)


class CaptureSerializer(serializers.Serializer):
    """When and where the phone recorded the step (optional; the offline client sends them with a queued step).
    The server keeps them in the step's log beside its own time."""

    captured_at = serializers.DateTimeField(required=False, allow_null=True, help_text="when the officer acted on the phone")
    lat = serializers.FloatField(required=False, allow_null=True)
    lon = serializers.FloatField(required=False, allow_null=True)
    coord = serializers.ChoiceField(choices=[("wgs84", "WGS-84"), ("gcj02", "GCJ-02")], default="wgs84", help_text="coordinate system of lat/lon")

    def validate_captured_at(self, value):
        # A phone's clock may run a little ahead; a time far in the future is a broken clock, not a capture.
        if value is not None and value > timezone.now() + dt.timedelta(minutes=10):
            raise serializers.ValidationError(_("The capture time lies in the future."))
        return value

    def validate(self, attrs):
        lat, lon = attrs.pop("lat", None), attrs.pop("lon", None)
        if (lat is None) != (lon is None):
            raise serializers.ValidationError({"lat": [_("Give both lat and lon, or neither.")]})
        attrs["captured_point"] = parse_lat_lon(lat, lon, attrs.pop("coord", "wgs84")) if lat is not None else None
        return attrs


class FeedbackSerializer(CaptureSerializer):
    result = serializers.CharField(max_length=4000)
    solved = serializers.BooleanField(default=True)
    photos = serializers.ListField(child=serializers.FileField(), required=False, max_length=6, help_text="multipart: repeat the field per photo")


class ArriveSerializer(serializers.Serializer):
    point = PointField(required=False)


class ReferSerializer(serializers.Serializer):
    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.none(), help_text="an active organisation of the task's district (not the hotline centre)")
    reason = serializers.CharField(max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Where the task may go, as on the dispatcher's form; an organisation elsewhere is "does not exist".
        task = self.context.get("task")
        self.fields["organization"].queryset = selectors.dispatch_organizations(task) if task is not None else Organization.objects.none()


class DeferSerializer(serializers.Serializer):
    plan = serializers.CharField(max_length=4000)
    target_date = serializers.DateField()


class SummonsSerializer(serializers.ModelSerializer):
    task = serializers.CharField(source="whistle.task.number", read_only=True)
    department = serializers.CharField(source="department.name", read_only=True)

    class Meta:
        model = WhistleSummons
        fields = ["id", "task", "department", "due_at", "reported_at", "late_minutes"]
