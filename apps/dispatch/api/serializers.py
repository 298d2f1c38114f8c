"""Serializers of the task API for squads, officers and dispatchers; reporter data masked, and every key that
comes in resolves among what the caller may choose (else 400 "does not exist", as for a key that does not exist)."""
from rest_framework import serializers

from apps.dispatch import selectors
from apps.dispatch.models import DuplicateCandidate, Task, TaskLog, WhistleSummons
from apps.dispatch.policy import allowed_task_steps
from apps.gbcp.api.fields import MaskedField, PointField
from apps.gbcp.models import Organization


class TaskListSerializer(serializers.ModelSerializer):
    point = PointField(read_only=True)
    category = serializers.SerializerMethodField()
    organization = serializers.CharField(source="organization.name", default=None, read_only=True)

    class Meta:
        model = Task
        fields = ["id", "number", "source", "status", "alert", "priority", "category", "description", "address", "point",
                  "region_code", "organization", "received_at", "deadline", "duplicate_count"]

    def get_category(self, obj) -> dict | None:
        return {"code": obj.category.code, "name": obj.category.name} if obj.category_id else None


class TaskLogSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.__str__", default=None, read_only=True)

    class Meta:
        model = TaskLog
        fields = ["action", "actor", "reason", "data", "at"]


class SuggestionSerializer(serializers.ModelSerializer):
    candidate = serializers.CharField(source="candidate.number", read_only=True)

    class Meta:
        model = DuplicateCandidate
        fields = ["id", "candidate", "score", "parts", "decision"]


class TaskDetailSerializer(TaskListSerializer):
    reporter_name = MaskedField("name")
    reporter_phone = MaskedField("phone")
    logs = TaskLogSerializer(many=True, read_only=True)
    master = serializers.CharField(source="master.number", default=None, read_only=True)
    suggestions = SuggestionSerializer(source="duplicate_candidates", many=True, read_only=True)
    actions = serializers.SerializerMethodField(
        help_text="The steps the caller may do on the task now, named as in the task policy (set_category, dispatch, accept, "
                  "return, arrive, feedback, refer, escalate, defer, approve_deferral, approve_deferral_as_leader, write_off, "
                  "verify, keep_apart, merge) and blow (the whistle): show a button for each, and only these.")

    class Meta(TaskListSerializer.Meta):
        fields = TaskListSerializer.Meta.fields + [
            "reporter_name", "reporter_phone", "route_reason", "category_confidence", "category_method", "result", "solved",
            "satisfied", "dispatched_at", "accepted_at", "handled_at", "closed_at", "master", "logs", "suggestions", "actions",
        ]

    def get_actions(self, obj) -> list[str]:
        request = self.context.get("request")
        return allowed_task_steps(request.user if request is not None else None, obj)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, allow_blank=False, trim_whitespace=True)


class FeedbackSerializer(serializers.Serializer):
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
