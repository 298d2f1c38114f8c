"""Serializers of the evaluation API: scorecards are plain dicts (Scorecard.as_dict); lists behind the numbers."""
from rest_framework import serializers


class DrillTaskSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    status = serializers.CharField()
    category = serializers.CharField(source="category.name", default=None, allow_null=True)
    organization = serializers.CharField(source="organization.name", default=None, allow_null=True)
    received_at = serializers.DateTimeField()
    deadline = serializers.DateTimeField(allow_null=True)
    accepted_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    solved = serializers.BooleanField(allow_null=True)
    rating = serializers.CharField(source="ev_rating", allow_null=True)
    rerouted = serializers.BooleanField(source="ev_rerouted")
    reopened = serializers.BooleanField(source="ev_reopened")


class DrillSummonsSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    task = serializers.CharField(source="whistle.task.number")
    department = serializers.CharField(source="department.name")
    due_at = serializers.DateTimeField()
    reported_at = serializers.DateTimeField(allow_null=True)
    late_minutes = serializers.IntegerField(allow_null=True)


class DrillCaseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    status = serializers.CharField()
    organization = serializers.CharField(source="organization.name")
    opened_at = serializers.DateTimeField()


class SchemeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    unit_kind = serializers.CharField()
    region_code = serializers.CharField(source="region.code")
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    published = serializers.BooleanField()
    published_at = serializers.DateTimeField(allow_null=True)
    indicators = serializers.SerializerMethodField()

    def get_indicators(self, scheme) -> list:
        return [{"figure": i.figure, "weight": str(i.weight), "target": str(i.target), "direction": i.direction} for i in scheme.indicators.all()]
