"""Serializers of the supervision API for the mobile client. Every key a client sends (a unit, a task) resolves among
what the caller may see, so one of another district answers exactly like one that does not exist (400)."""
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.dispatch.selectors import task_list_for_user
from apps.dispatch.models import Task
from apps.gbcp.models import Organization
from apps.supervision.models import SupervisionItem, SupervisionLog
from apps.supervision.policy import ACTION_LABELS, allowed_item_steps
from apps.supervision.rulekinds import describe
from apps.supervision.selectors import organizations_for_user
from apps.supervision.services.items import MAX_DEADLINE_DAYS


def _caller(serializer):
    return getattr(serializer.context.get("request"), "user", None)


class SupervisionItemListSerializer(serializers.ModelSerializer):
    organization = serializers.CharField(source="organization.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    alert = serializers.CharField(read_only=True)
    alert_display = serializers.CharField(source="get_alert_display", read_only=True)
    rule = serializers.CharField(source="rule.name", default=None, allow_null=True, read_only=True)

    class Meta:
        model = SupervisionItem
        fields = ["id", "number", "title", "source", "rule", "status", "status_display", "alert", "alert_display", "organization",
                  "region_code", "deadline", "created_at"]


class SupervisionLogSerializer(serializers.ModelSerializer):
    actor = serializers.StringRelatedField(read_only=True, allow_null=True)
    action_display = serializers.SerializerMethodField()

    class Meta:
        model = SupervisionLog
        fields = ["action", "action_display", "actor", "reason", "at"]

    def get_action_display(self, log) -> str:
        return str(ACTION_LABELS.get(log.action, log.action))


class SupervisionItemDetailSerializer(SupervisionItemListSerializer):
    actions = serializers.SerializerMethodField()
    subjects = serializers.SerializerMethodField()
    why = serializers.SerializerMethodField()
    logs = SupervisionLogSerializer(many=True, read_only=True)

    class Meta(SupervisionItemListSerializer.Meta):
        fields = [*SupervisionItemListSerializer.Meta.fields, "body", "deadline_days", "returns", "result", "feedback", "signed_at", "dispatched_at",
                  "handled_at", "reviewed_at", "closed_at", "archived_at", "actions", "subjects", "why", "logs"]

    def get_actions(self, item) -> list[str]:
        return allowed_item_steps(_caller(self), item)

    @extend_schema_field(serializers.DictField())
    def get_subjects(self, item) -> dict:
        return {
            "task": {"id": item.task_id, "number": item.task.number} if item.task_id else None,
            "case": {"id": item.case_id, "number": item.case.number} if item.case_id else None,
            "whistle": {"id": item.whistle_id, "task": item.whistle.task_id} if item.whistle_id else None,
            "place": {"id": item.place_id, "name": item.place.name} if item.place_id else None,
            "grid": {"id": item.grid_id, "name": item.grid.name} if item.grid_id else None,
            "task_ids": item.related_task_ids,
        }

    @extend_schema_field(serializers.DictField())
    def get_why(self, item) -> dict:
        measured = item.measured or {}
        return {"parameters": measured.get("parameters", {}), "values": measured.get("values", {}),
                "described": [{"label": label, "value": value} for label, value in describe(measured.get("parameters")) + describe(measured.get("values"))]}


class SupervisionItemCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    body = serializers.CharField(required=False, allow_blank=True, default="")
    organization = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.none())
    deadline_days = serializers.IntegerField(min_value=1, max_value=MAX_DEADLINE_DAYS, default=5)
    task = serializers.PrimaryKeyRelatedField(queryset=Task.objects.none(), required=False, allow_null=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = _caller(self)
        self.fields["organization"].queryset = organizations_for_user(user=user)
        self.fields["task"].queryset = task_list_for_user(user=user)


class SupervisionDispatchSerializer(serializers.Serializer):
    organization = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.none(), required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations_for_user(user=_caller(self))


class SupervisionResultSerializer(serializers.Serializer):
    result = serializers.CharField()


class SupervisionReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


class SupervisionFeedbackSerializer(serializers.Serializer):
    feedback = serializers.CharField()
