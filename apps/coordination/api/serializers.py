"""Serializers of the coordination API. Every key a client sends (a unit, a department, a task, a case, evidence) resolves
among what the caller may see, so one of another district answers exactly like one that does not exist (400)."""
from rest_framework import serializers

from apps.cases.models import Case
from apps.cases.selectors import case_list_for_user
from apps.coordination.models import Lead, LeadLog, Outcome
from apps.coordination.policy import ACTION_LABELS, allowed_lead_steps
from apps.coordination.selectors import departments_for_user, units_for_user
from apps.coordination.services.leads import MAX_FEEDBACK_DAYS, MAX_RECEIPT_DAYS
from apps.dispatch.models import Task
from apps.dispatch.selectors import task_list_for_user
from apps.evidence.models import Evidence
from apps.evidence.selectors import evidence_list_for_user
from apps.gbcp.models import Organization


def _caller(serializer):
    return getattr(serializer.context.get("request"), "user", None)


class LeadListSerializer(serializers.ModelSerializer):
    organization = serializers.CharField(source="organization.name", read_only=True)
    department = serializers.CharField(source="department.name", read_only=True)
    direction_display = serializers.CharField(source="get_direction_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    overdue = serializers.CharField(read_only=True)

    class Meta:
        model = Lead
        fields = ["id", "number", "direction", "direction_display", "title", "status", "status_display", "organization", "department",
                  "region_code", "external_ref", "receipt_due", "feedback_due", "overdue", "created_at"]


class LeadLogSerializer(serializers.ModelSerializer):
    actor = serializers.StringRelatedField(read_only=True, allow_null=True)
    action_display = serializers.SerializerMethodField()

    class Meta:
        model = LeadLog
        fields = ["action", "action_display", "actor", "reason", "at"]

    def get_action_display(self, log) -> str:
        return str(ACTION_LABELS.get(log.action, log.action))


class LeadDetailSerializer(LeadListSerializer):
    actions = serializers.SerializerMethodField()
    task = serializers.SerializerMethodField()
    case = serializers.SerializerMethodField()
    evidence = serializers.SerializerMethodField()
    documents = serializers.SerializerMethodField()
    bundle = serializers.SerializerMethodField()
    logs = LeadLogSerializer(many=True, read_only=True)

    class Meta(LeadListSerializer.Meta):
        fields = [*LeadListSerializer.Meta.fields, "facts", "legal_basis", "receipt_days", "feedback_days", "sent_at", "received_at",
                  "receipt_by", "receipt_reference", "answered_at", "refusal_reason", "outcome", "result", "result_at", "closed_at",
                  "actions", "task", "case", "evidence", "documents", "bundle", "logs"]

    def get_actions(self, lead) -> list[str]:
        return allowed_lead_steps(_caller(self), lead)

    def get_task(self, lead) -> dict | None:
        return {"id": lead.task_id, "number": lead.task.number} if lead.task_id else None

    def get_case(self, lead) -> dict | None:
        return {"id": lead.case_id, "number": lead.case.number} if lead.case_id else None

    def get_evidence(self, lead) -> list[dict]:
        return [{"id": e.pk, "sha256": e.sha256, "kind": e.kind} for e in lead.evidence.all()]

    def get_documents(self, lead) -> list[dict]:
        return [{"id": d.pk, "name": d.name, "sha256": d.sha256, "size": d.size} for d in lead.documents.all()]

    def get_bundle(self, lead) -> dict | None:
        if not lead.bundle:
            return None
        return {"sha256": lead.bundle_sha256, "url": f"/api/coordination/leads/{lead.pk}/bundle/"}


class _Scoped(serializers.Serializer):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = _caller(self)
        if user is None:  # the schema generator (and `check --deploy`) builds the serializer without a request or a database
            return
        self.fields["department"].queryset = departments_for_user(user=user)
        unit_ids = [o.pk for o in units_for_user(user=user)]
        self.fields["organization"].queryset = Organization.objects.filter(pk__in=unit_ids)


class LeadCreateSerializer(_Scoped):
    organization = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.none(), help_text="Our unit handing the lead out.")
    department = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.none())
    title = serializers.CharField(max_length=200)
    facts = serializers.CharField()
    legal_basis = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    task = serializers.PrimaryKeyRelatedField(queryset=Task.objects.none(), required=False, allow_null=True)
    case = serializers.PrimaryKeyRelatedField(queryset=Case.objects.none(), required=False, allow_null=True)
    evidence = serializers.PrimaryKeyRelatedField(queryset=Evidence.objects.none(), many=True, required=False)
    attach_linked_evidence = serializers.BooleanField(default=True)
    receipt_days = serializers.IntegerField(min_value=1, max_value=MAX_RECEIPT_DAYS, default=3)
    feedback_days = serializers.IntegerField(min_value=1, max_value=MAX_FEEDBACK_DAYS, default=30)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = _caller(self)
        if user is None:  # the schema generator builds the serializer without a request
            return
        self.fields["task"].queryset = task_list_for_user(user=user)
        self.fields["case"].queryset = case_list_for_user(user=user)
        self.fields["evidence"].child_relation.queryset = evidence_list_for_user(user=user)


class LeadRegisterSerializer(_Scoped):
    organization = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.none(), help_text="Our unit taking the lead in.")
    department = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.none())
    title = serializers.CharField(max_length=200)
    facts = serializers.CharField()
    external_ref = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    legal_basis = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


class LeadAcknowledgeSerializer(serializers.Serializer):
    signed_by = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    reference = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")


class LeadAnswerSerializer(serializers.Serializer):
    accepted = serializers.BooleanField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    reference = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")


class LeadFeedbackSerializer(serializers.Serializer):
    result = serializers.CharField()
    reference = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")


class LeadNoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class LeadAcceptInSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)


class LeadReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()
