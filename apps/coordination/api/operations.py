"""Joint operations in the API (/api/coordination/operations/): the list, one operation with its ``actions``, planning
one, and the steps (check in, record a finding, report, close, cancel). Every key a client sends (a unit, a region, a
department, a duty, a person, a case cause) resolves among what the caller may see, else 400 as if it did not exist."""
from django.contrib.gis.geos import Point
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.jurisdiction import EVERYTHING, jurisdiction_prefixes, scope_filter
from apps.accounts.models import User
from apps.cases.selectors import cause_get
from apps.coordination import selectors, services
from apps.coordination.models import JointOperation, OperationFinding, OperationLog, OperationStatus
from apps.coordination.policy import OPERATION_ACTION_LABELS, operation_actions
from apps.gbcp.errors import NotFound
from apps.gbcp.models import Category, Organization, Region


def _caller(serializer):
    return getattr(serializer.context.get("request"), "user", None)


class OperationListSerializer(serializers.ModelSerializer):
    organization = serializers.CharField(source="organization.name", read_only=True)
    region = serializers.CharField(source="region.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = JointOperation
        fields = ["id", "title", "status", "status_display", "organization", "region", "region_code", "starts_at", "ends_at"]


class OperationLogSerializer(serializers.ModelSerializer):
    action_display = serializers.SerializerMethodField()
    actor = serializers.CharField(source="actor.username", default=None, read_only=True)

    class Meta:
        model = OperationLog
        fields = ["at", "action", "action_display", "actor", "reason"]

    def get_action_display(self, log) -> str:
        return str(OPERATION_ACTION_LABELS.get(log.action, log.action))


class OperationDetailSerializer(OperationListSerializer):
    purpose = serializers.CharField(read_only=True)
    departments = serializers.SerializerMethodField()
    participants = serializers.SerializerMethodField()
    findings = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()
    logs = OperationLogSerializer(many=True, read_only=True)

    class Meta(OperationListSerializer.Meta):
        fields = [*OperationListSerializer.Meta.fields, "purpose", "departments", "participants", "findings", "report", "report_counts",
                  "reported_at", "closed_at", "cancel_reason", "actions", "logs"]

    def get_departments(self, op) -> list[dict]:
        return [{"id": row.department_id, "name": row.department.name,
                 "duties": [{"id": c.pk, "code": c.code, "name": c.name} for c in row.duties.all()]} for row in op.departments.all()]

    def get_participants(self, op) -> list[dict]:
        return [{"id": row.user_id, "name": str(row.user), "checked_in_at": row.checked_in_at}
                for row in op.attendance.all()]

    def get_findings(self, op) -> list[dict]:
        return [{"id": f.pk, "outcome": f.outcome, "description": f.description, "department": f.department.name,
                 "category": f.category.name if f.category_id else None, "task": f.task.number if f.task_id else None,
                 "case": f.case.number if f.case_id else None, "recorded_at": f.recorded_at} for f in op.findings.all()]

    def get_actions(self, op) -> list[str]:
        return [name for name, allowed in operation_actions(_caller(self), op).items() if allowed]


class DepartmentDutiesSerializer(serializers.Serializer):
    department = serializers.IntegerField()
    duties = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)


class OperationCreateSerializer(serializers.Serializer):
    organization = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.none(), help_text="Our unit leading the operation.")
    title = serializers.CharField(max_length=200)
    purpose = serializers.CharField(max_length=5000)
    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.none(), help_text="The area's region code.")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    departments = DepartmentDutiesSerializer(many=True, allow_empty=False)
    participants = serializers.PrimaryKeyRelatedField(queryset=User.objects.none(), many=True, allow_empty=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = _caller(self)
        self._departments = {}
        if user is None:  # the schema generator (and `check --deploy`) builds the serializer without a request or a database
            return
        self.fields["organization"].queryset = Organization.objects.filter(pk__in=[o.pk for o in selectors.units_for_user(user=user)])
        regions = Region.objects.all()
        if jurisdiction_prefixes(user) is not EVERYTHING:
            regions = regions.filter(scope_filter(user, "code"))
        self.fields["region"].queryset = regions
        self._departments = {o.pk: o for o in selectors.operation_departments_for_user(user=user)}
        org_ids = [*[o.pk for o in selectors.units_for_user(user=user)], *self._departments]
        self.fields["participants"].child_relation.queryset = selectors.operation_staff_for_user(user=user, organizations=[
            Organization(pk=pk) for pk in org_ids])

    def validate_departments(self, rows):
        resolved = []
        for row in rows:
            department = self._departments.get(row["department"])
            if department is None:
                raise serializers.ValidationError(f'Invalid pk "{row["department"]}" - object does not exist.')
            duties = list(Category.objects.filter(pk__in=row["duties"]))
            if len(duties) != len(set(row["duties"])):
                raise serializers.ValidationError("A duty does not exist.")
            resolved.append((department, duties))
        return resolved


class CheckInSerializer(serializers.Serializer):
    lat = serializers.FloatField(required=False, min_value=-90, max_value=90)
    lng = serializers.FloatField(required=False, min_value=-180, max_value=180)


class FindingSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=OperationFinding.Outcome.choices)
    description = serializers.CharField(max_length=2000)
    category = serializers.PrimaryKeyRelatedField(queryset=Category.objects.filter(is_active=True), required=False, allow_null=True)
    cause = serializers.CharField(required=False, allow_blank=True, help_text="A case cause code (for a case).")
    lat = serializers.FloatField(required=False, min_value=-90, max_value=90)
    lng = serializers.FloatField(required=False, min_value=-180, max_value=180)

    def validate_cause(self, code):
        if not code:
            return None
        try:
            return cause_get(code=code)
        except NotFound:
            raise serializers.ValidationError("No such case cause.")


class ReportSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=5000)


class OperationReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


def _point(d):
    return Point(d["lng"], d["lat"], srid=4326) if d.get("lat") is not None and d.get("lng") is not None else None


def _detail(request, pk, status=200):
    operation = selectors.operation_get_for_user(user=request.user, id=pk)
    return Response(OperationDetailSerializer(operation, context={"request": request}).data, status=status)


class OperationListView(generics.ListAPIView):
    """Operations the caller plans (a planner of the jurisdiction) or takes part in: ``status``, ``q``."""

    serializer_class = OperationListSerializer

    @extend_schema(parameters=[OpenApiParameter("status", str, enum=OperationStatus.values), OpenApiParameter("q", str)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        p = self.request.query_params
        return selectors.operation_list_for_user(user=self.request.user, status=p.get("status") or None, q=p.get("q") or None)


class OperationCreateView(APIView):
    """A planner (squad leader, leader, dispatcher of the jurisdiction) plans a joint operation."""

    @extend_schema(request=OperationCreateSerializer, responses={201: OperationDetailSerializer})
    def post(self, request):
        serializer = OperationCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        d = serializer.validated_data
        operation = services.operation_create(user=request.user, organization=d["organization"], title=d["title"], purpose=d["purpose"],
                                              region=d["region"], starts_at=d["starts_at"], ends_at=d["ends_at"],
                                              departments=d["departments"], participants=d["participants"])
        return _detail(request, operation.pk, status=201)


class OperationDetailView(APIView):
    @extend_schema(responses=OperationDetailSerializer)
    def get(self, request, pk):
        return _detail(request, pk)


class _StepView(APIView):
    serializer_class = None

    def act(self, request, operation, data):  # pragma: no cover - overridden
        raise NotImplementedError

    def post(self, request, pk):
        operation = selectors.operation_get_for_user(user=request.user, id=pk)
        data = {}
        if self.serializer_class is not None:
            serializer = self.serializer_class(data=request.data, context={"request": request})
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
        self.act(request, operation, data)
        return _detail(request, operation.pk)


def _step(name, serializer, func, doc):
    view = type(name, (_StepView,), {"serializer_class": serializer, "act": lambda self, r, o, d: func(r, o, d), "__doc__": doc})
    return extend_schema(request=serializer, responses=OperationDetailSerializer)(view).as_view()


def _finding(request, operation, d):
    return services.operation_finding_record(user=request.user, operation=operation, outcome=d["outcome"], description=d["description"],
                                             category=d.get("category"), cause=d.get("cause"), point=_point(d))


check_in = _step("OperationCheckInView", CheckInSerializer,
                 lambda r, o, d: services.operation_check_in(user=r.user, operation=o, point=_point(d)),
                 "A participant checks in on site (签到), once, during the operation's window.")
finding = _step("OperationFindingView", FindingSerializer, _finding,
                "A participant records a finding: a task for the department that brought its category, or a case of ours.")
report = _step("OperationReportView", ReportSerializer, lambda r, o, d: services.operation_report(user=r.user, operation=o, text=d["text"]),
               "Report the operation (总结报告); the counts are fixed with the text.")
close = _step("OperationCloseView", None, lambda r, o, d: services.operation_close(user=r.user, operation=o), "Close a reported operation.")
cancel = _step("OperationCancelView", OperationReasonSerializer, lambda r, o, d: services.operation_cancel(user=r.user, operation=o, reason=d["reason"]),
               "Cancel an operation, with a reason.")
