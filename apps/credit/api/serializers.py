"""Serializers of the credit API: grades with their contributions, records, objections, place risk."""
from rest_framework import serializers

from apps.credit.models import CreditRecord, Objection
from apps.credit.policy import CREDIT
from apps.credit.wording import contribution_rows, risk_part_rows


class RecordSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    repairable_from = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()

    class Meta:
        model = CreditRecord
        fields = ["id", "kind", "kind_label", "weight", "rule", "occurred_on", "expires_on", "status", "status_label", "reason", "department",
                  "place", "repairable_from", "actions"]

    def get_actions(self, record) -> dict:
        """What the caller may do with the record now (the policy's answer, as the pages show it)."""
        request = self.context.get("request")
        return {"repair_record": bool(request) and CREDIT.allows(request.user, "repair_record", record)}

    def get_repairable_from(self, record) -> str | None:
        day = (self.context.get("repairable") or {}).get(record.pk)
        return day.isoformat() if day else None


class GradeSerializer(serializers.Serializer):
    entity = serializers.SerializerMethodField()
    grade = serializers.SerializerMethodField()
    records = serializers.SerializerMethodField()

    def get_entity(self, entity) -> dict:
        return {"id": entity.pk, "name": entity.name, "uscc": entity.uscc}

    def get_grade(self, entity) -> dict | None:
        grade = self.context.get("grade")
        if grade is None:
            return None
        return {"grade": grade.grade, "label": grade.get_grade_display(), "score": grade.score, "base_score": grade.base_score,
                "ruleset_version": grade.ruleset.version, "computed_at": grade.computed_at,
                "contributions": contribution_rows(grade.contributions)}

    def get_records(self, entity) -> list[dict]:
        return RecordSerializer(self.context.get("records", []), many=True, context=self.context).data


class GradeListSerializer(serializers.Serializer):
    entity = serializers.IntegerField(source="entity_id")
    name = serializers.CharField(source="entity.name")
    uscc = serializers.CharField(source="entity.uscc")
    grade = serializers.CharField()
    score = serializers.IntegerField()
    ruleset_version = serializers.IntegerField(source="ruleset.version")
    computed_at = serializers.DateTimeField()


class ObjectionSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    entity_name = serializers.CharField(source="entity.name", read_only=True)
    actions = serializers.SerializerMethodField()

    class Meta:
        model = Objection
        fields = ["id", "entity", "entity_name", "record", "text", "status", "status_label", "submitted_at", "decided_at", "decision_reason",
                  "actions"]
        read_only_fields = fields

    def get_actions(self, objection) -> dict:
        request = self.context.get("request")
        return {"decide_objection": bool(request) and CREDIT.allows(request.user, "decide_objection", objection)}


class ObjectionInSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=2000)


class DecisionInSerializer(serializers.Serializer):
    upheld = serializers.BooleanField()
    reason = serializers.CharField(max_length=2000)


class RepairInSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class PlaceRiskSerializer(serializers.Serializer):
    place = serializers.IntegerField(source="place_id")
    place_name = serializers.CharField(source="place.name")
    level = serializers.CharField()
    level_label = serializers.CharField(source="get_level_display")
    score = serializers.IntegerField()
    computed_at = serializers.DateTimeField()
    parts = serializers.SerializerMethodField()

    def get_parts(self, risk) -> list[dict]:
        return risk_part_rows(risk.parts)


class ListedRecordSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")
    weight = serializers.IntegerField()
    occurred_on = serializers.DateField()
    expires_on = serializers.DateField()
    department = serializers.CharField()
    reason = serializers.CharField()
    serious = serializers.BooleanField(source="is_serious")


class JointListSerializer(serializers.Serializer):
    """One business on the joint-punishment list, with why and the records behind it."""

    entity = serializers.SerializerMethodField()
    grade = serializers.SerializerMethodField()
    criteria = serializers.ListField(child=serializers.CharField())
    records = ListedRecordSerializer(many=True)

    def get_entity(self, item) -> dict:
        return {"id": item.entity.pk, "name": item.entity.name, "uscc": item.entity.uscc}

    def get_grade(self, item) -> dict | None:
        if item.grade is None:
            return None
        return {"grade": item.grade.grade, "score": item.grade.score, "ruleset_version": item.grade.ruleset.version}

